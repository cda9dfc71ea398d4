#include "tools/launcher/help.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::launcher {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Command Kill() {
  return {.name = "kill",
          .arguments = "<container-id> [signal]",
          .summary = "send a signal",
          .description = "The kill command sends a signal.",
          .flags = {{.name = "all", .short_name = "a", .help = "every process"},
                    {.name = "bundle", .short_name = "b", .takes_value = true, .help = "bundle"},
                    {.name = "pid-file", .takes_value = true, .help = "pid file"}}};
}

TEST(CommandHelpTest, IsRuncsLayout) {
  EXPECT_EQ(CommandHelp(Kill()),
            "NAME:\n"
            "   hull kill - send a signal\n"
            "\n"
            "USAGE:\n"
            "   hull kill [command options] <container-id> [signal]\n"
            "\n"
            "DESCRIPTION:\n"
            "   The kill command sends a signal.\n"
            "\n"
            "OPTIONS:\n"
            "   --all, -a                 every process\n"
            "   --bundle value, -b value  bundle\n"
            "   --pid-file value          pid file\n");
}

TEST(CommandHelpTest, ACommandWithoutFlagsHasNoOptions) {
  const Command pause = {.name = "pause", .arguments = "<container-id>", .summary = "freeze"};
  EXPECT_EQ(CommandHelp(pause), "NAME:\n   hull pause - freeze\n\nUSAGE:\n   hull pause <container-id>\n");
}

TEST(ProgramHelpTest, ListsCommandsHelpAndGlobalFlags) {
  const std::string help =
      ProgramHelp({Kill()}, {{.name = "root", .takes_value = true, .help = "state"},
                             {.name = "help", .short_name = "h", .help = "show help"}},
                  "hull version 1.0\ncommit: abc\nspec: 1.2.0\n");
  EXPECT_THAT(help, StartsWith("NAME:\n   hull - Open Container Initiative runtime\n"));
  EXPECT_THAT(help, HasSubstr("\nUSAGE:\n   hull [global options] command [command options] "
                              "[arguments...]\n"));
  EXPECT_THAT(help, HasSubstr("\nVERSION:\n   1.0\ncommit: abc\nspec: 1.2.0\n\nCOMMANDS:\n"));
  EXPECT_THAT(help, HasSubstr("\n   kill     send a signal\n"
                              "   help, h  Shows a list of commands or help for one command\n"));
  EXPECT_THAT(help, HasSubstr("\nGLOBAL OPTIONS:\n   --root value  state\n"
                              "   --help, -h    show help\n"));
  EXPECT_THAT(help, Not(HasSubstr("--all")));
}

TEST(NoHelpTopicTest, IsRuncsWording) { EXPECT_EQ(NoHelpTopic("frob"), "No help topic for 'frob'"); }

}  // namespace
}  // namespace hull::launcher
