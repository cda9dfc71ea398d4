#include "cgroups/resource_warnings.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace hull::cgroups {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

config::Resources Parse(const char* text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

TEST(ResourceWarningsTest, WhatRuncAcceptsWithAWarning) {
  EXPECT_THAT(ResourceWarnings(Parse("memory { limit: 1000000 kernel: 1000000 }")),
              ElementsAre(HasSubstr("linux.resources.memory.kernel is deprecated and ignored")));
  EXPECT_THAT(ResourceWarnings(Parse("cpu { quota: 50000 }")),
              ElementsAre(HasSubstr("linux.resources.cpu.quota 50000 without a period")));
  EXPECT_THAT(ResourceWarnings(Parse("devices { allow: true type: \"c\" access: \"rwx\" } "
                                     "devices { allow: true type: \"c\" access: \"mrw\" }")),
              ElementsAre(HasSubstr("linux.resources.devices[0].access \"rwx\"")));
}

TEST(ResourceWarningsTest, NoneForWhatIsApplied) {
  EXPECT_THAT(ResourceWarnings(Parse("memory { limit: 1000000 kernel: 0 } "
                                     "cpu { quota: 50000 period: 100000 } "
                                     "devices { allow: false access: \"rwm\" }")),
              IsEmpty());
  // -1: no limit, no period needed.
  EXPECT_THAT(ResourceWarnings(Parse("cpu { quota: -1 }")), IsEmpty());
}

}  // namespace
}  // namespace hull::cgroups
