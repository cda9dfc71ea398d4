#include "tools/launcher/events_command.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;

absl::StatusOr<absl::Duration> Interval(std::vector<std::string> args) {
  args.push_back("web");
  absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(EventsCommand(), args);
  if (!flags.ok()) return flags.status();
  return StatsInterval(*flags);
}

TEST(StatsIntervalTest, TheIntervalIsFiveSecondsUnlessGiven) {
  EXPECT_THAT(Interval({}), IsOkAndHolds(absl::Seconds(5)));
  EXPECT_THAT(Interval({"--stats"}), IsOkAndHolds(absl::Seconds(5)));
  EXPECT_THAT(Interval({"--interval", "1s"}), IsOkAndHolds(absl::Seconds(1)));
  EXPECT_THAT(Interval({"--interval=250ms"}), IsOkAndHolds(absl::Milliseconds(250)));
  EXPECT_THAT(Interval({"--interval", "1m30s"}), IsOkAndHolds(absl::Seconds(90)));
}

TEST(StatsIntervalTest, TheIntervalIsAPositiveDuration) {
  for (const char* interval : {"0s", "-1s", "5", "soon", ""}) {
    EXPECT_THAT(Interval({"--interval", interval}),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         std::string("--interval: not a duration: ") + interval));
  }
}

}  // namespace
}  // namespace hull::launcher
