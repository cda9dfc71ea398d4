#include "runtime/system/sysctl.h"

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

TEST(SysctlPathTest, TurnsDotsIntoSlashes) {
  EXPECT_THAT(SysctlPath("net.ipv4.ip_forward"), IsOkAndHolds("sys/net/ipv4/ip_forward"));
  EXPECT_THAT(SysctlPath("kernel.msgmax"), IsOkAndHolds("sys/kernel/msgmax"));
}

TEST(SysctlPathTest, KeepsDotsOfASlashSeparatedName) {
  EXPECT_THAT(SysctlPath("net/ipv4/conf/eth0.100/forwarding"),
              IsOkAndHolds("sys/net/ipv4/conf/eth0.100/forwarding"));
}

TEST(SysctlPathTest, ASlashInADottedNameIsADotOfTheFile) {
  EXPECT_THAT(SysctlPath("net.ipv4.conf.eth0/100.forwarding"),
              IsOkAndHolds("sys/net/ipv4/conf/eth0.100/forwarding"));
}

TEST(SysctlPathTest, RefusesNamesThatLeaveProcSys) {
  for (const char* name :
       {"", "net..ipv4", ".net", "net.", "net/../../etc/passwd", "./x", "a//b"}) {
    EXPECT_THAT(SysctlPath(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid sysctl name")))
        << name;
  }
}

TEST(ApplySysctlsTest, WritesEachInNameOrder) {
  config::Spec spec;
  (*spec.mutable_linux()->mutable_sysctl())["net.ipv4.ip_forward"] = "1";
  (*spec.mutable_linux()->mutable_sysctl())["kernel.msgmax"] = "65536";
  StrictMock<MockProcFiles> proc;
  InSequence in_order;
  EXPECT_CALL(proc, Write(Eq("sys/kernel/msgmax"), Eq("65536"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(proc, Write(Eq("sys/net/ipv4/ip_forward"), Eq("1")))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplySysctls(spec, proc), IsOk());
}

TEST(ApplySysctlsTest, NamesTheSysctlThatFailed) {
  config::Spec spec;
  (*spec.mutable_linux()->mutable_sysctl())["net.ipv4.ip_forward"] = "1";
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(_, _))
      .WillOnce(Return(absl::FailedPreconditionError(
          "/proc/sys/net/ipv4/ip_forward is not on procfs (filesystem magic 0x1021994): "
          "refusing to mount or write there")));
  EXPECT_THAT(ApplySysctls(spec, proc),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "set sysctl net.ipv4.ip_forward=\"1\": /proc/sys/net/ipv4/ip_forward is not "
                       "on procfs (filesystem magic 0x1021994): refusing to mount or write there"));
}

TEST(ApplySysctlsTest, RefusesABadNameBeforeWriting) {
  config::Spec spec;
  (*spec.mutable_linux()->mutable_sysctl())["net/../../etc/x"] = "1";
  StrictMock<MockProcFiles> proc;
  EXPECT_THAT(ApplySysctls(spec, proc), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 "invalid sysctl name \"net/../../etc/x\""));
}

}  // namespace
}  // namespace hull::system
