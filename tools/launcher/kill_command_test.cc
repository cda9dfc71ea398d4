#include "tools/launcher/kill_command.h"

#include <signal.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;

using KillCommandTest = VerbTest;

absl::StatusOr<int> Signal(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(KillCommand(), args);
  if (!flags.ok()) return flags.status();
  return KillSignal(*flags);
}

TEST_F(KillCommandTest, TheDefaultSignalIsTerm) {
  EXPECT_THAT(Signal({"web"}), IsOkAndHolds(SIGTERM));
  EXPECT_THAT(Signal({"--all", "web"}), IsOkAndHolds(SIGTERM));
}

TEST_F(KillCommandTest, TakesNamesWithAndWithoutSigAndNumbers) {
  EXPECT_THAT(Signal({"web", "KILL"}), IsOkAndHolds(SIGKILL));
  EXPECT_THAT(Signal({"web", "SIGKILL"}), IsOkAndHolds(SIGKILL));
  EXPECT_THAT(Signal({"web", "9"}), IsOkAndHolds(SIGKILL));
  EXPECT_THAT(Signal({"-a", "web", "usr1"}), IsOkAndHolds(SIGUSR1));
  EXPECT_THAT(Signal({"web", "SIGRTMIN+1", "--all"}), IsOkAndHolds(SIGRTMIN + 1));
}

TEST_F(KillCommandTest, AnInvalidSignalIsRefusedBeforeTheContainerIsLookedFor) {
  for (const char* signal : {"NOPE", "SIGNOPE", "-1", "65"}) {
    const VerbResult result = Run(KillCommand(), {"nosuch", signal});
    EXPECT_THAT(result.exit_code, StatusIs(absl::StatusCode::kInvalidArgument,
                                           ::testing::Not(::testing::HasSubstr("container"))))
        << signal;
  }
  EXPECT_THAT(Run(KillCommand(), {"nosuch", "NOPE"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("\"NOPE\"")));
}

TEST_F(KillCommandTest, TakesAnIdAndASignal) {
  EXPECT_THAT(Run(KillCommand(), {"web", "KILL", "extra"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "hull: \"kill\" requires 1 to 2 argument(s); usage: hull kill [command "
                       "options] <container-id> [signal]"));
}

}  // namespace
}  // namespace hull::launcher
