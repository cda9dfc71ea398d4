#include "tools/bench/stats.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::bench {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SummarizeTest, OddCountTakesTheMiddleSample) {
  absl::StatusOr<Summary> summary = Summarize({5, 1, 3});
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->min, 1);
  EXPECT_EQ(summary->median, 3);
  EXPECT_EQ(summary->max, 5);
}

TEST(SummarizeTest, EvenCountAveragesTheTwoMiddleSamples) {
  absl::StatusOr<Summary> summary = Summarize({4, 1, 2, 3});
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->median, 2.5);
}

TEST(SummarizeTest, P90IsTheNearestRank) {
  // Ten samples: the 9th smallest; eleven: ceil(9.9) = the 10th smallest.
  absl::StatusOr<Summary> ten = Summarize({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  ASSERT_THAT(ten, IsOk());
  EXPECT_EQ(ten->p90, 9);
  absl::StatusOr<Summary> eleven = Summarize({11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  ASSERT_THAT(eleven, IsOk());
  EXPECT_EQ(eleven->p90, 10);
}

TEST(SummarizeTest, OneSampleIsEveryStatistic) {
  absl::StatusOr<Summary> summary = Summarize({7});
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->min, 7);
  EXPECT_EQ(summary->median, 7);
  EXPECT_EQ(summary->p90, 7);
  EXPECT_EQ(summary->max, 7);
}

TEST(SummarizeTest, NoSamplesIsAnError) {
  EXPECT_THAT(Summarize({}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no samples")));
}

}  // namespace
}  // namespace hull::bench
