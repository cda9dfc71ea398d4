#include "tools/launcher/signal_names.h"

#include <signal.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseSignalTest, TakesNamesWithOrWithoutSigAndNumbers) {
  EXPECT_THAT(ParseSignal("KILL"), IsOkAndHolds(SIGKILL));
  EXPECT_THAT(ParseSignal("SIGKILL"), IsOkAndHolds(SIGKILL));
  EXPECT_THAT(ParseSignal("term"), IsOkAndHolds(SIGTERM));
  EXPECT_THAT(ParseSignal("9"), IsOkAndHolds(9));
  // Signal 0: is it alive? (runc and kill(1) take it.)
  EXPECT_THAT(ParseSignal("0"), IsOkAndHolds(0));
  EXPECT_THAT(ParseSignal("SIGRTMIN+2"), IsOkAndHolds(SIGRTMIN + 2));
  EXPECT_THAT(ParseSignal("RTMAX"), IsOkAndHolds(SIGRTMAX));
}

TEST(ParseSignalTest, RefusesUnknownNamesAndBadNumbers) {
  EXPECT_THAT(ParseSignal("SIGNOPE"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown signal \"SIGNOPE\"")));
  EXPECT_THAT(ParseSignal("-1"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signal")));
  EXPECT_THAT(ParseSignal("1000"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signal")));
  EXPECT_THAT(ParseSignal("RTMIN+999"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signal")));
  EXPECT_THAT(ParseSignal(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signal")));
}

}  // namespace
}  // namespace hull::launcher
