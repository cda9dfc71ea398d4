#include "config/host_support.h"

#include "gtest/gtest.h"

namespace hull::config {
namespace {

constexpr char kFilesystems[] = "nodev\tsysfs\nnodev\tproc\n\text4\nnodev\tsecurityfs\n";

TEST(ParseHostSupportTest, NeitherModule) {
  const HostSupport host = ParseHostSupport("", kFilesystems);
  EXPECT_FALSE(host.apparmor);
  EXPECT_FALSE(host.selinux);
  EXPECT_FALSE(ParseHostSupport("N\n", kFilesystems).apparmor);
}

TEST(ParseHostSupportTest, AppArmorEnabled) {
  EXPECT_TRUE(ParseHostSupport("Y\n", kFilesystems).apparmor);
}

TEST(ParseHostSupportTest, SelinuxRegisteredItsFilesystem) {
  EXPECT_TRUE(ParseHostSupport("", "nodev\tproc\nnodev\tselinuxfs\n").selinux);
  // Only a whole name counts.
  EXPECT_FALSE(ParseHostSupport("", "nodev\tnotselinuxfs\n").selinux);
}

}  // namespace
}  // namespace hull::config
