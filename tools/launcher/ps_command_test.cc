#include "tools/launcher/ps_command.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using PsCommandTest = VerbTest;

constexpr char kPsEf[] =
    "UID          PID    PPID  C STIME TTY          TIME CMD\n"
    "root           1       0  0 10:00 ?        00:00:01 /sbin/init\n"
    "root         300       1  0 10:01 ?        00:00:00 sleep 1000\n"
    "root         301     300  0 10:01 ?        00:00:00 sh\n"
    "root         302     301  0 10:01 ?        00:00:00 ps -ef\n";

TEST_F(PsCommandTest, KeepsTheHeaderAndTheContainersLines) {
  EXPECT_THAT(SelectPsLines("ps -ef", kPsEf, {300, 301}),
              IsOkAndHolds("UID          PID    PPID  C STIME TTY          TIME CMD\n"
                           "root         300       1  0 10:01 ?        00:00:00 sleep 1000\n"
                           "root         301     300  0 10:01 ?        00:00:00 sh\n"));
}

TEST_F(PsCommandTest, MatchesThePidColumnWhereverItIs) {
  // Pid 1 is only in the PPID column of the second line: not selected.
  EXPECT_THAT(SelectPsLines("ps -o comm,pid,ppid", "COMMAND PID PPID\ninit 1 0\nsleep 300 1\n", {1}),
              IsOkAndHolds("COMMAND PID PPID\ninit 1 0\n"));
}

TEST_F(PsCommandTest, NoProcessOfTheContainerLeavesTheHeader) {
  EXPECT_THAT(SelectPsLines("ps -ef", kPsEf, {}),
              IsOkAndHolds("UID          PID    PPID  C STIME TTY          TIME CMD\n"));
}

TEST_F(PsCommandTest, OutputWithoutAPidColumnIsRefused) {
  EXPECT_THAT(SelectPsLines("ps -o comm", "COMMAND\ninit\n", {1}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "couldn't find PID field in ps output"));
  EXPECT_THAT(SelectPsLines("ps -o comm", "", {1}),
              StatusIs(absl::StatusCode::kInternal, "ps -o comm printed nothing"));
}

TEST_F(PsCommandTest, PsOptionsFollowTheId) {
  EXPECT_EQ(PsCommandLine({}), "ps -ef");
  EXPECT_EQ(PsCommandLine({"-o", "pid,comm"}), "ps -o pid,comm");
  // Flags before the id are ps's (hull's); after it, they are ps's own.
  absl::StatusOr<ParsedFlags> flags =
      ParseCommandArguments(PsCommand(), {"-f", "table", "web", "-f", "-o", "pid"});
  ASSERT_THAT(flags, IsOk());
  EXPECT_EQ(flags->Value("format"), "table");
  EXPECT_THAT(flags->positional(), ElementsAre("web", "-f", "-o", "pid"));
}

TEST_F(PsCommandTest, TheFormatIsCheckedBeforeTheContainerIsLookedFor) {
  const VerbResult result = Run(PsCommand(), {"--format", "yaml", "nosuch"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid format option: \"yaml\""));
  EXPECT_THAT(result.out, IsEmpty());
}

}  // namespace
}  // namespace hull::launcher
