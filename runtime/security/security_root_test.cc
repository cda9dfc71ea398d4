// Needs root: applies capability sets and no_new_privs in a child chrooted
// into the busybox rootfs, and reads them back from /proc/self/status of the
// busybox process it execs.
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/procfs_files.h"
#include "runtime/security/capabilities.h"
#include "runtime/security/no_new_privileges.h"
#include "runtime/user/exec_user.h"
#include "runtime/user/identity.h"
#include "testing/child_process.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::security {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::kChildBodyFailed;
using ::hull::testing::RootfsFixture;
using ::hull::testing::RunInChild;
using ::testing::HasSubstr;

constexpr char kShowStatus[] = "grep -E '^(Cap|NoNewPrivs)' /proc/self/status";

// The init's order: bounding set, user switch, capability sets,
// no_new_privs; then exec `sh -c kShowStatus` in the busybox rootfs.
ChildOutcome ApplyThenShow(const config::Process& process, const user::ExecUser& user) {
  absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
  EXPECT_THAT(rootfs, IsOk());
  ChildOptions options;
  options.unshare_flags = CLONE_NEWNS;
  options.chroot_dir = rootfs.ok() ? rootfs->path() : "/nonexistent";
  absl::StatusOr<ChildOutcome> outcome = RunInChild(options, [&]() -> absl::Status {
    LinuxProcFiles proc;
    absl::StatusOr<int> last_cap = ReadLastCapability(proc);
    if (!last_cap.ok()) return last_cap.status();
    absl::StatusOr<CapabilitySets> sets = ResolveCapabilities(process.capabilities(), *last_cap);
    if (!sets.ok()) return sets.status();
    LinuxCapabilityControl control;
    user::LinuxIdentity identity(proc);
    for (absl::Status status : {DropBoundingSet(*sets, control), user::SwitchUser(user, identity),
                                ApplyCapabilities(*sets, control), SetNoNewPrivileges(process)}) {
      if (!status.ok()) return status;
    }
    execl("/bin/sh", "sh", "-c", kShowStatus, nullptr);
    return ErrnoStatus("exec /bin/sh");
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.value_or(ChildOutcome());
}

void AddAll(google::protobuf::RepeatedPtrField<std::string>* set,
            const std::vector<std::string>& names) {
  for (const std::string& name : names) *set->Add() = name;
}

TEST(SecurityRootTest, NonRootUserWithAmbientCapabilities) {
  config::Process process;
  config::Capabilities& caps = *process.mutable_capabilities();
  AddAll(caps.mutable_bounding(), {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
  for (auto* set : {caps.mutable_effective(), caps.mutable_permitted(), caps.mutable_inheritable(),
                    caps.mutable_ambient()}) {
    AddAll(set, {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"});
  }
  const ChildOutcome outcome = ApplyThenShow(process, user::ExecUser{1000, 1000, {}, "/"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  // CAP_CHOWN is bit 0, CAP_KILL bit 5, CAP_NET_BIND_SERVICE bit 10. As
  // uid 1000 the exec'd process keeps exactly its ambient set.
  EXPECT_EQ(outcome.output,
            "CapInh:\t0000000000000401\n"
            "CapPrm:\t0000000000000401\n"
            "CapEff:\t0000000000000401\n"
            "CapBnd:\t0000000000000421\n"
            "CapAmb:\t0000000000000401\n"
            "NoNewPrivs:\t0\n");
}

TEST(SecurityRootTest, RootWithNoNewPrivileges) {
  config::Process process;
  process.set_no_new_privileges(true);
  config::Capabilities& caps = *process.mutable_capabilities();
  for (auto* set : {caps.mutable_bounding(), caps.mutable_effective(), caps.mutable_permitted(),
                    caps.mutable_inheritable()}) {
    AddAll(set, {"CAP_CHOWN", "CAP_KILL"});
  }
  const ChildOutcome outcome = ApplyThenShow(process, user::ExecUser{});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output,
            "CapInh:\t0000000000000021\n"
            "CapPrm:\t0000000000000021\n"
            "CapEff:\t0000000000000021\n"
            "CapBnd:\t0000000000000021\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t1\n");
}

TEST(SecurityRootTest, NoCapabilitiesAtAll) {
  const ChildOutcome outcome =
      ApplyThenShow(config::Process(), user::ExecUser{1000, 1000, {}, "/"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output,
            "CapInh:\t0000000000000000\n"
            "CapPrm:\t0000000000000000\n"
            "CapEff:\t0000000000000000\n"
            "CapBnd:\t0000000000000000\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t0\n");
}

TEST(SecurityRootTest, AmbientWithoutInheritableIsSkipped) {
  config::Process process;
  config::Capabilities& caps = *process.mutable_capabilities();
  for (auto* set : {caps.mutable_bounding(), caps.mutable_effective(), caps.mutable_permitted(),
                    caps.mutable_ambient()}) {
    AddAll(set, {"CAP_KILL"});
  }
  const ChildOutcome outcome = ApplyThenShow(process, user::ExecUser{});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  // As root the exec'd process keeps its bounding set in CapPrm/CapEff; the
  // ambient set stays empty (CAP_KILL is bit 5).
  EXPECT_EQ(outcome.output,
            "CapInh:\t0000000000000000\n"
            "CapPrm:\t0000000000000020\n"
            "CapEff:\t0000000000000020\n"
            "CapBnd:\t0000000000000020\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t0\n");
}

}  // namespace
}  // namespace hull::security
