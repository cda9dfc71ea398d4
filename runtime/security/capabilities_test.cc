#include "runtime/security/capabilities.h"

#include <linux/capability.h>

#include <utility>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_capability_control.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::security {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockCapabilityControl;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

constexpr uint64_t Bit(int capability) { return uint64_t{1} << capability; }

TEST(CapabilityNumberTest, MatchesTheKernelHeaders) {
  const std::pair<const char*, int> kernel[] = {
      {"CAP_CHOWN", CAP_CHOWN},
      {"CAP_DAC_OVERRIDE", CAP_DAC_OVERRIDE},
      {"CAP_DAC_READ_SEARCH", CAP_DAC_READ_SEARCH},
      {"CAP_FOWNER", CAP_FOWNER},
      {"CAP_FSETID", CAP_FSETID},
      {"CAP_KILL", CAP_KILL},
      {"CAP_SETGID", CAP_SETGID},
      {"CAP_SETUID", CAP_SETUID},
      {"CAP_SETPCAP", CAP_SETPCAP},
      {"CAP_LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE},
      {"CAP_NET_BIND_SERVICE", CAP_NET_BIND_SERVICE},
      {"CAP_NET_BROADCAST", CAP_NET_BROADCAST},
      {"CAP_NET_ADMIN", CAP_NET_ADMIN},
      {"CAP_NET_RAW", CAP_NET_RAW},
      {"CAP_IPC_LOCK", CAP_IPC_LOCK},
      {"CAP_IPC_OWNER", CAP_IPC_OWNER},
      {"CAP_SYS_MODULE", CAP_SYS_MODULE},
      {"CAP_SYS_RAWIO", CAP_SYS_RAWIO},
      {"CAP_SYS_CHROOT", CAP_SYS_CHROOT},
      {"CAP_SYS_PTRACE", CAP_SYS_PTRACE},
      {"CAP_SYS_PACCT", CAP_SYS_PACCT},
      {"CAP_SYS_ADMIN", CAP_SYS_ADMIN},
      {"CAP_SYS_BOOT", CAP_SYS_BOOT},
      {"CAP_SYS_NICE", CAP_SYS_NICE},
      {"CAP_SYS_RESOURCE", CAP_SYS_RESOURCE},
      {"CAP_SYS_TIME", CAP_SYS_TIME},
      {"CAP_SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG},
      {"CAP_MKNOD", CAP_MKNOD},
      {"CAP_LEASE", CAP_LEASE},
      {"CAP_AUDIT_WRITE", CAP_AUDIT_WRITE},
      {"CAP_AUDIT_CONTROL", CAP_AUDIT_CONTROL},
      {"CAP_SETFCAP", CAP_SETFCAP},
      {"CAP_MAC_OVERRIDE", CAP_MAC_OVERRIDE},
      {"CAP_MAC_ADMIN", CAP_MAC_ADMIN},
      {"CAP_SYSLOG", CAP_SYSLOG},
      {"CAP_WAKE_ALARM", CAP_WAKE_ALARM},
      {"CAP_BLOCK_SUSPEND", CAP_BLOCK_SUSPEND},
      {"CAP_AUDIT_READ", CAP_AUDIT_READ},
      {"CAP_PERFMON", CAP_PERFMON},
      {"CAP_BPF", CAP_BPF},
      {"CAP_CHECKPOINT_RESTORE", CAP_CHECKPOINT_RESTORE},
  };
  static_assert(CAP_LAST_CAP == CAP_CHECKPOINT_RESTORE, "a new capability needs a name");
  for (const auto& [name, number] : kernel) {
    EXPECT_THAT(CapabilityNumber(name), IsOkAndHolds(number)) << name;
    EXPECT_EQ(CapabilityName(number), name);
  }
}

TEST(CapabilityNumberTest, RefusesUnknownNames) {
  for (const char* name : {"CAP_FOO", "cap_chown", "CHOWN", "", "CAP_CHOWN "}) {
    EXPECT_THAT(CapabilityNumber(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown capability")))
        << name;
  }
  EXPECT_EQ(CapabilityName(63), "capability 63");
}

TEST(ReadLastCapabilityTest, ParsesProcfs) {
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Read(Eq("sys/kernel/cap_last_cap")))
      .WillOnce(Return("40\n"))
      .WillOnce(Return("forty\n"))
      .WillOnce(Return("64\n"));
  EXPECT_THAT(ReadLastCapability(proc), IsOkAndHolds(40));
  EXPECT_THAT(
      ReadLastCapability(proc),
      StatusIs(absl::StatusCode::kDataLoss, "/proc/sys/kernel/cap_last_cap holds \"forty\\n\""));
  EXPECT_THAT(ReadLastCapability(proc), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("64")));
}

config::Capabilities Config() {
  config::Capabilities capabilities;
  capabilities.add_bounding("CAP_CHOWN");
  capabilities.add_bounding("CAP_KILL");
  capabilities.add_bounding("CAP_NET_BIND_SERVICE");
  capabilities.add_effective("CAP_KILL");
  capabilities.add_permitted("CAP_KILL");
  capabilities.add_permitted("CAP_CHOWN");
  capabilities.add_inheritable("CAP_NET_BIND_SERVICE");
  capabilities.add_ambient("CAP_NET_BIND_SERVICE");
  return capabilities;
}

TEST(ResolveCapabilitiesTest, MakesMasks) {
  CapabilitySets expected;
  expected.last_cap = 40;
  expected.bounding = Bit(CAP_CHOWN) | Bit(CAP_KILL) | Bit(CAP_NET_BIND_SERVICE);
  expected.effective = Bit(CAP_KILL);
  expected.permitted = Bit(CAP_KILL) | Bit(CAP_CHOWN);
  expected.inheritable = Bit(CAP_NET_BIND_SERVICE);
  expected.ambient = Bit(CAP_NET_BIND_SERVICE);
  EXPECT_THAT(ResolveCapabilities(Config(), 40), IsOkAndHolds(expected));
}

TEST(ResolveCapabilitiesTest, AbsentSetsAreEmpty) {
  EXPECT_THAT(ResolveCapabilities(config::Capabilities(), 40),
              IsOkAndHolds(CapabilitySets{.last_cap = 40}));
}

TEST(ProbeLastCapabilityTest, AgreesWithProcSysKernelCapLastCap) {
  LinuxProcFiles proc("/proc");
  absl::StatusOr<int> read = ReadLastCapability(proc);
  ASSERT_THAT(read, IsOk());
  EXPECT_THAT(ProbeLastCapability(), IsOkAndHolds(*read));
}

TEST(ResolveCapabilitiesTest, IgnoresCapabilitiesTheKernelDoesNotKnow) {
  config::Capabilities capabilities;
  capabilities.add_bounding("CAP_CHOWN");
  capabilities.add_bounding("CAP_BPF");
  capabilities.add_bounding("CAP_CHECKPOINT_RESTORE");
  absl::StatusOr<CapabilitySets> sets = ResolveCapabilities(capabilities, CAP_PERFMON);
  ASSERT_THAT(sets, IsOk());
  EXPECT_EQ(sets->bounding, Bit(CAP_CHOWN));
}

TEST(ResolveCapabilitiesTest, NamesTheSetOfAnUnknownName) {
  config::Capabilities capabilities = Config();
  capabilities.add_ambient("CAP_FOO");
  EXPECT_THAT(ResolveCapabilities(capabilities, 40),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "process.capabilities.ambient: unknown capability \"CAP_FOO\""));
}

TEST(DropBoundingSetTest, DropsWhatIsNotListed) {
  const CapabilitySets sets{.last_cap = 3, .bounding = Bit(0) | Bit(2)};
  StrictMock<MockCapabilityControl> control;
  // No reads: a drop of what is not there (3) does nothing.
  EXPECT_CALL(control, DropFromBoundingSet(1)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, DropFromBoundingSet(3)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(DropBoundingSet(sets, control), IsOk());
}

TEST(DropBoundingSetTest, WithoutSetpcapWhatIsNotThereNeedsNoDrop) {
  const CapabilitySets sets{.last_cap = 1};
  StrictMock<MockCapabilityControl> control;
  const absl::Status refused = absl::PermissionDeniedError("drop: Operation not permitted");
  EXPECT_CALL(control, DropFromBoundingSet(0)).WillOnce(Return(refused));
  EXPECT_CALL(control, InBoundingSet(0)).WillOnce(Return(false));
  EXPECT_CALL(control, DropFromBoundingSet(1)).WillOnce(Return(refused));
  EXPECT_CALL(control, InBoundingSet(1)).WillOnce(Return(false));
  EXPECT_THAT(DropBoundingSet(sets, control), IsOk());
}

TEST(DropBoundingSetTest, ReportsAFailedDrop) {
  const CapabilitySets sets{.last_cap = 0};
  StrictMock<MockCapabilityControl> control;
  EXPECT_CALL(control, DropFromBoundingSet(0))
      .WillOnce(Return(absl::PermissionDeniedError(
          "drop CAP_CHOWN from the bounding set: Operation not permitted")));
  EXPECT_CALL(control, InBoundingSet(0)).WillOnce(Return(true));
  EXPECT_THAT(DropBoundingSet(sets, control),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "drop CAP_CHOWN from the bounding set: Operation not permitted"));
}

TEST(DropBoundingSetTest, ReportsAnyOtherFailureAtOnce) {
  const CapabilitySets sets{.last_cap = 1};
  StrictMock<MockCapabilityControl> control;
  EXPECT_CALL(control, DropFromBoundingSet(0))
      .WillOnce(Return(absl::InvalidArgumentError("drop CAP_CHOWN: Invalid argument")));
  EXPECT_THAT(DropBoundingSet(sets, control),
              StatusIs(absl::StatusCode::kInvalidArgument, "drop CAP_CHOWN: Invalid argument"));
}

TEST(ApplyCapabilitiesTest, SetsTheSetsThenClearsAndRaisesAmbient) {
  const CapabilitySets sets{.last_cap = 40,
                            .bounding = Bit(0) | Bit(10) | Bit(40),
                            .effective = Bit(10),
                            .permitted = Bit(0) | Bit(10) | Bit(40),
                            .inheritable = Bit(10) | Bit(40),
                            .ambient = Bit(10) | Bit(40)};
  StrictMock<MockCapabilityControl> control;
  InSequence in_order;
  EXPECT_CALL(control, SetProcessSets(Bit(10), Bit(0) | Bit(10) | Bit(40), Bit(10) | Bit(40)))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, ClearAmbient()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, RaiseAmbient(10)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, RaiseAmbient(40)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyCapabilities(sets, control), IsOk());
}

TEST(ApplyCapabilitiesTest, SkipsAmbientCapabilitiesThatAreNotInheritable) {
  const CapabilitySets sets{.last_cap = 40,
                            .permitted = Bit(5) | Bit(10),
                            .inheritable = Bit(10),
                            .ambient = Bit(5) | Bit(10)};
  StrictMock<MockCapabilityControl> control;
  InSequence in_order;
  EXPECT_CALL(control, SetProcessSets(0, Bit(5) | Bit(10), Bit(10)))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, ClearAmbient()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(control, RaiseAmbient(10)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyCapabilities(sets, control), IsOk());
}

TEST(ApplyCapabilitiesTest, StopsAtAFailedCapset) {
  StrictMock<MockCapabilityControl> control;
  EXPECT_CALL(control, SetProcessSets(_, _, _))
      .WillOnce(Return(absl::PermissionDeniedError("set capabilities: Operation not permitted")));
  EXPECT_THAT(ApplyCapabilities(CapabilitySets{.last_cap = 40, .ambient = Bit(1)}, control),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("set capabilities")));
}

}  // namespace
}  // namespace hull::security
