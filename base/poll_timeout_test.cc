#include "base/poll_timeout.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace hull {
namespace {

TEST(PollTimeoutTest, InfiniteFutureWaitsForever) {
  EXPECT_EQ(PollTimeoutMs(absl::InfiniteFuture()), -1);
  EXPECT_EQ(DeadlineIn(absl::InfiniteDuration()), absl::InfiniteFuture());
}

TEST(PollTimeoutTest, APassedDeadlineIsZero) {
  EXPECT_EQ(PollTimeoutMs(absl::Now() - absl::Seconds(1)), 0);
}

TEST(PollTimeoutTest, RoundsUpToWholeMilliseconds) {
  const int ms = PollTimeoutMs(absl::Now() + absl::Microseconds(10500));
  EXPECT_GE(ms, 10);
  EXPECT_LE(ms, 11);
  EXPECT_GT(PollTimeoutMs(absl::Now() + absl::Microseconds(1)), 0);
}

TEST(PollTimeoutTest, DeadlineInIsThatFarAhead) {
  const absl::Time before = absl::Now();
  const absl::Time deadline = DeadlineIn(absl::Seconds(5));
  EXPECT_GE(deadline - before, absl::Seconds(5));
  EXPECT_LT(deadline - before, absl::Seconds(6));
}

}  // namespace
}  // namespace hull
