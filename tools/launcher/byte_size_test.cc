#include "tools/launcher/byte_size.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseByteSizeTest, TakesBinaryUnitsInAnyCase) {
  EXPECT_THAT(ParseByteSize("1024"), IsOkAndHolds(1024));
  EXPECT_THAT(ParseByteSize("100k"), IsOkAndHolds(100 * 1024));
  EXPECT_THAT(ParseByteSize("64M"), IsOkAndHolds(int64_t{64} << 20));
  EXPECT_THAT(ParseByteSize("1gb"), IsOkAndHolds(int64_t{1} << 30));
  EXPECT_THAT(ParseByteSize("2T"), IsOkAndHolds(int64_t{2} << 40));
  EXPECT_THAT(ParseByteSize("-1"), IsOkAndHolds(-1));
}

TEST(ParseByteSizeTest, RefusesGarbageNegativesAndOverflow) {
  for (const char* bad : {"", "m", "12x", "-5", "1.5g", "99999999999999999t"}) {
    EXPECT_THAT(ParseByteSize(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid size")))
        << bad;
  }
}

}  // namespace
}  // namespace hull::launcher
