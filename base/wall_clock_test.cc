#include "base/wall_clock.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace hull {
namespace {

TEST(WallClockTest, SaysWhatAbslNowSays) {
  const absl::Time before = absl::Now();
  const absl::Time now = WallClockNow();
  const absl::Time after = absl::Now();
  // absl::Now() interpolates with the cycle counter: allow it a millisecond.
  EXPECT_GE(now, before - absl::Milliseconds(1));
  EXPECT_LE(now, after + absl::Milliseconds(1));
}

TEST(WallClockTest, MovesForward) {
  const absl::Time first = WallClockNow();
  absl::SleepFor(absl::Milliseconds(2));
  EXPECT_GE(WallClockNow() - first, absl::Milliseconds(2));
}

}  // namespace
}  // namespace hull
