#include "config/sysctl_name.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SysctlNameTest, ADottedNameKeepsItsSpelling) {
  EXPECT_THAT(DottedSysctlName("net.ipv4.ip_forward"), IsOkAndHolds("net.ipv4.ip_forward"));
  EXPECT_THAT(SysctlFile("net.ipv4.ip_forward"), IsOkAndHolds("net/ipv4/ip_forward"));
}

TEST(SysctlNameTest, ASlashInADottedNameIsADotOfTheFile) {
  EXPECT_THAT(DottedSysctlName("net.ipv4.conf.eth0/100.forwarding"),
              IsOkAndHolds("net.ipv4.conf.eth0/100.forwarding"));
  EXPECT_THAT(SysctlFile("net.ipv4.conf.eth0/100.forwarding"),
              IsOkAndHolds("net/ipv4/conf/eth0.100/forwarding"));
}

TEST(SysctlNameTest, ANameWhoseFirstSeparatorIsASlashIsSlashed) {
  EXPECT_THAT(DottedSysctlName("net/ipv4/conf/eth0.100/forwarding"),
              IsOkAndHolds("net.ipv4.conf.eth0/100.forwarding"));
  EXPECT_THAT(SysctlFile("net/ipv4/conf/eth0.100/forwarding"),
              IsOkAndHolds("net/ipv4/conf/eth0.100/forwarding"));
}

// "net./.x" and "net.//.x" are the dotted spellings of "net/./x" and "net/../x".
TEST(SysctlNameTest, RefusesEmptyDotAndDotDotComponents) {
  for (const char* name : {"", "net..ipv4", ".net", "net.", "net/../../etc/passwd", "./x", "a//b",
                           "net./.x", "net.//.x"}) {
    EXPECT_THAT(DottedSysctlName(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid sysctl name")))
        << name;
    EXPECT_THAT(SysctlFile(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid sysctl name")))
        << name;
  }
}

}  // namespace
}  // namespace hull::config
