#include "tools/launcher/sealed_start.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tools/launcher/command_line.h"
#include "tools/launcher/global_flags.h"

namespace hull::launcher {
namespace {

bool Starts(const std::vector<std::string>& args) {
  std::vector<const char*> pointers;
  for (const std::string& arg : args) pointers.push_back(arg.c_str());
  pointers.push_back(nullptr);
  return StartsContainerProcesses(pointers.data());
}

// What main makes of the command line: the global flags' parser, then the
// command.
bool ParserStarts(const std::vector<std::string>& args) {
  const absl::StatusOr<ParsedFlags> global =
      FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/true);
  if (!global.ok() || global->positional().empty()) return false;
  const std::string& command = global->positional().front();
  return command == "create" || command == "run" || command == "exec";
}

TEST(StartsContainerProcessesTest, CreateRunAndExecDo) {
  for (const char* command : {"create", "run", "exec"}) {
    EXPECT_TRUE(Starts({command, "id"})) << command;
  }
}

TEST(StartsContainerProcessesTest, TheOtherCommandsDoNot) {
  for (const char* command : {"start", "state", "kill", "delete", "list", "ps", "events",
                              "pause", "resume", "update", "checkpoint", "restore", "features",
                              "spec", "help", "runner", "ru", ""}) {
    EXPECT_FALSE(Starts({command, "id"})) << command;
  }
  EXPECT_FALSE(Starts({}));
  EXPECT_FALSE(Starts({"--version"}));
}

TEST(StartsContainerProcessesTest, TheCommandComesAfterTheGlobalFlags) {
  EXPECT_TRUE(Starts({"--root", "/run/x", "--debug", "--log=/tmp/l", "run", "id"}));
  EXPECT_TRUE(Starts({"-log-format", "json", "--systemd-cgroup", "exec", "id", "true"}));
  EXPECT_TRUE(Starts({"--debug=false", "--", "create", "id"}));
  // A flag's value is not the command.
  EXPECT_FALSE(Starts({"--root", "run", "state", "id"}));
  // Nor is a later argument: `help run` shows help.
  EXPECT_FALSE(Starts({"help", "run"}));
}

TEST(StartsContainerProcessesTest, ACommandLineTheParserRefusesDoesNot) {
  EXPECT_FALSE(Starts({"--no-such-flag", "run", "id"}));
  EXPECT_FALSE(Starts({"--root"}));
  EXPECT_FALSE(Starts({"--debug=yes", "run", "id"}));
  EXPECT_FALSE(Starts({"---debug", "run", "id"}));
  EXPECT_FALSE(Starts({"--"}));
}

// The entry point's own copy of the global flags agrees with GlobalFlagSpecs():
// every spelling of every flag, with and without a value, before a command.
TEST(StartsContainerProcessesTest, ReadsEveryGlobalFlagAsTheParserDoes) {
  std::vector<std::vector<std::string>> command_lines;
  for (const FlagSpec& spec : GlobalFlagSpecs()) {
    for (const absl::string_view name : {spec.name, spec.short_name}) {
      if (name.empty()) continue;
      for (const char* dashes : {"-", "--"}) {
        const std::string flag = absl::StrCat(dashes, name);
        for (const std::vector<std::string>& rest : std::initializer_list<std::vector<std::string>>{
                 {"run", "id"},
                 {"x", "run", "id"},
                 {"run"},
                 {}}) {
          std::vector<std::string> line = {flag};
          line.insert(line.end(), rest.begin(), rest.end());
          command_lines.push_back(line);
        }
        for (const char* value : {"true", "false", "x", ""}) {
          command_lines.push_back({absl::StrCat(flag, "=", value), "exec", "id"});
        }
        command_lines.push_back({absl::StrCat(flag, "x"), "run", "id"});
        command_lines.push_back({flag.substr(0, flag.size() - 1), "run", "id"});
      }
    }
  }
  for (const std::vector<std::string>& line : command_lines) {
    EXPECT_EQ(Starts(line), ParserStarts(line)) << absl::StrJoin(line, " ");
  }
}

}  // namespace
}  // namespace hull::launcher
