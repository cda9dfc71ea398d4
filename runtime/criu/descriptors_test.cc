#include "runtime/criu/descriptors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::runtime::criu {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(DescriptorsTest, RoundTrips) {
  const std::vector<std::string> descriptors = {"pipe:[123]", "/dev/null", "/tmp/a \"b\"\\\n"};
  EXPECT_EQ(FormatDescriptors({"pipe:[1]", "/dev/null"}), R"(["pipe:[1]","/dev/null"])");
  EXPECT_THAT(ParseDescriptors(FormatDescriptors(descriptors)),
              IsOkAndHolds(ElementsAre("pipe:[123]", "/dev/null", "/tmp/a \"b\"\\\n")));
}

TEST(DescriptorsTest, ReadsRuncsFile) {
  EXPECT_THAT(ParseDescriptors(" [ \"/dev/null\", \"pipe:[9]\" ,\"socket:[7]\"]\n"),
              IsOkAndHolds(ElementsAre("/dev/null", "pipe:[9]", "socket:[7]")));
  EXPECT_THAT(ParseDescriptors("[]"), IsOkAndHolds(IsEmpty()));
}

TEST(DescriptorsTest, RefusesWhatIsNotAnArrayOfStrings) {
  for (const char* bad : {"", "{}", "[1]", "[\"a\"", "[\"a\" \"b\"]", "[\"a\",]", "garbage\x01"}) {
    EXPECT_THAT(ParseDescriptors(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("descriptors.json")))
        << bad;
  }
}

}  // namespace
}  // namespace hull::runtime::criu
