#include "tools/launcher/sealed_start.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hull::launcher {
namespace {

TEST(StartsContainerProcessesTest, CreateRunAndExecDo) {
  for (const char* command : {"create", "run", "exec"}) {
    EXPECT_TRUE(StartsContainerProcesses(std::vector<std::string>{command, "id"})) << command;
  }
}

TEST(StartsContainerProcessesTest, TheOtherCommandsDoNot) {
  for (const char* command : {"start", "state", "kill", "delete", "list", "ps", "events",
                              "pause", "resume", "update", "checkpoint", "restore", "features",
                              "spec", "help"}) {
    EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{command, "id"})) << command;
  }
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{}));
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{"--version"}));
}

TEST(StartsContainerProcessesTest, TheCommandComesAfterTheGlobalFlags) {
  EXPECT_TRUE(StartsContainerProcesses(
      std::vector<std::string>{"--root", "/run/x", "--debug", "--log=/tmp/l", "run", "id"}));
  EXPECT_TRUE(StartsContainerProcesses(
      std::vector<std::string>{"-log-format", "json", "--systemd-cgroup", "exec", "id", "true"}));
  // A flag's value is not the command.
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{"--root", "run", "state", "id"}));
  // Nor is a later argument: `help run` shows help.
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{"help", "run"}));
}

TEST(StartsContainerProcessesTest, ACommandLineTheParserRefusesDoesNot) {
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{"--no-such-flag", "run", "id"}));
  EXPECT_FALSE(StartsContainerProcesses(std::vector<std::string>{"--root"}));
}

}  // namespace
}  // namespace hull::launcher
