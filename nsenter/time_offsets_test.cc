#include "nsenter/time_offsets.h"

#include <string>

#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

config::TimeOffset Offset(int64_t secs, uint32_t nanosecs) {
  config::TimeOffset offset;
  offset.set_secs(secs);
  offset.set_nanosecs(nanosecs);
  return offset;
}

TEST(FormatTimeOffsetsTest, OneLinePerClockSortedByName) {
  config::Linux linux;
  (*linux.mutable_time_offsets())["monotonic"] = Offset(5, 0);
  (*linux.mutable_time_offsets())["boottime"] = Offset(86400, 999999999);
  EXPECT_THAT(FormatTimeOffsets(linux.time_offsets()),
              IsOkAndHolds(std::string("boottime 86400 999999999\nmonotonic 5 0\n")));
}

TEST(FormatTimeOffsetsTest, NegativeSecondsAndNoOffsets) {
  config::Linux linux;
  EXPECT_THAT(FormatTimeOffsets(linux.time_offsets()), IsOkAndHolds(std::string()));
  (*linux.mutable_time_offsets())["monotonic"] = Offset(-10, 500);
  EXPECT_THAT(FormatTimeOffsets(linux.time_offsets()),
              IsOkAndHolds(std::string("monotonic -10 500\n")));
}

TEST(FormatTimeOffsetsTest, RefusesUnknownClocksAndWholeSecondsOfNanoseconds) {
  config::Linux linux;
  (*linux.mutable_time_offsets())["realtime"] = Offset(1, 0);
  EXPECT_THAT(FormatTimeOffsets(linux.time_offsets()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown clock \"realtime\" (known: monotonic, boottime)")));
  linux.clear_time_offsets();
  (*linux.mutable_time_offsets())["boottime"] = Offset(1, 1000000000);
  EXPECT_THAT(FormatTimeOffsets(linux.time_offsets()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.timeOffsets[\"boottime\"]: nanosecs 1000000000 is not "
                                 "below one second")));
}

}  // namespace
}  // namespace hull::nsenter
