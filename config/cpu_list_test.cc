#include "config/cpu_list.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;

TEST(ParseCpuListTest, ReadsSinglesAndRangesInOrder) {
  EXPECT_THAT(ParseCpuList("0-3,5,7-8"),
              IsOkAndHolds(ElementsAre(CpuRange{0, 3}, CpuRange{5, 5}, CpuRange{7, 8})));
  EXPECT_THAT(ParseCpuList("1"), IsOkAndHolds(ElementsAre(CpuRange{1, 1})));
}

TEST(ParseCpuListTest, RefusesWhatTheKernelDoesNotPrint) {
  for (const char* list : {"", "a", "3-1", "1,", "-1", "01", "1-", "1 ,2", "4294967296"}) {
    EXPECT_THAT(ParseCpuList(list), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("is not a list"))) << list;
  }
}

}  // namespace
}  // namespace hull::config
