// Needs root: each setting is made in a child with new namespaces, chrooted
// into the busybox rootfs, and observed by the busybox process it execs.
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/procfs_files.h"
#include "runtime/system/hostname.h"
#include "runtime/system/loopback.h"
#include "runtime/system/session_keyring.h"
#include "runtime/system/sysctl.h"
#include "testing/child_process.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::RootfsFixture;
using ::hull::testing::RunInChild;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs `setup` in a child chrooted into a fresh busybox rootfs with the new
// namespaces `flags` (plus a mount namespace), then execs `sh -c script`.
ChildOutcome RunThenShell(int flags, const std::function<absl::Status()>& setup,
                          const std::string& script) {
  absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
  EXPECT_THAT(rootfs, IsOk());
  ChildOptions options;
  options.unshare_flags = CLONE_NEWNS | flags;
  options.chroot_dir = rootfs.ok() ? rootfs->path() : "/nonexistent";
  absl::StatusOr<ChildOutcome> outcome = RunInChild(options, [&]() -> absl::Status {
    if (absl::Status status = setup(); !status.ok()) return status;
    execl("/bin/sh", "sh", "-c", script.c_str(), nullptr);
    return ErrnoStatus("exec /bin/sh");
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.value_or(ChildOutcome());
}

std::string HostFile(const std::string& path) {
  LinuxProcFiles proc;
  absl::StatusOr<std::string> contents = proc.Read(path);
  EXPECT_THAT(contents, IsOk());
  return std::string(absl::StripTrailingAsciiWhitespace(contents.value_or("")));
}

TEST(SystemRootTest, HostnameAndDomainnameInANewUtsNamespace) {
  const std::string host_hostname = HostFile("sys/kernel/hostname");
  const std::string host_domainname = HostFile("sys/kernel/domainname");
  config::Spec spec;
  spec.set_hostname("hull-test");
  spec.set_domainname("hull.example");
  LinuxUtsNames uts;
  const ChildOutcome outcome = RunThenShell(
      CLONE_NEWUTS, [&] { return SetHostAndDomainName(spec, uts); },
      "hostname; cat /proc/sys/kernel/domainname");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output, "hull-test\nhull.example\n");
  EXPECT_EQ(HostFile("sys/kernel/hostname"), host_hostname);
  EXPECT_EQ(HostFile("sys/kernel/domainname"), host_domainname);
}

TEST(SystemRootTest, SysctlsInNewNetworkAndIpcNamespaces) {
  const std::string host_forward = HostFile("sys/net/ipv4/ip_forward");
  const std::string host_msgmax = HostFile("sys/kernel/msgmax");
  int msgmax = 0;
  ASSERT_TRUE(absl::SimpleAtoi(host_msgmax, &msgmax)) << host_msgmax;
  const std::string forward = host_forward == "1" ? "0" : "1";
  const std::string new_msgmax = absl::StrCat(msgmax + 1);

  config::Spec spec;
  (*spec.mutable_linux()->mutable_sysctl())["net.ipv4.ip_forward"] = forward;
  (*spec.mutable_linux()->mutable_sysctl())["kernel.msgmax"] = new_msgmax;
  LinuxProcFiles proc;
  const ChildOutcome outcome = RunThenShell(
      CLONE_NEWNET | CLONE_NEWIPC, [&] { return ApplySysctls(spec, proc); },
      "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output, absl::StrCat(forward, "\n", new_msgmax, "\n"));
  EXPECT_EQ(HostFile("sys/net/ipv4/ip_forward"), host_forward);
  EXPECT_EQ(HostFile("sys/kernel/msgmax"), host_msgmax);
}

TEST(SystemRootTest, LoopbackIsUpInANewNetworkNamespace) {
  config::Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("network");
  LinuxInterfaceFlags interfaces;
  const ChildOutcome up = RunThenShell(
      CLONE_NEWNET, [&] { return BringUpLoopback(spec, interfaces); }, "ip link show lo");
  EXPECT_EQ(up.exit_code, 0) << up.output;
  EXPECT_THAT(up.output, HasSubstr("<LOOPBACK,UP"));

  // Without the step, a new namespace's loopback is down.
  const ChildOutcome down = RunThenShell(
      CLONE_NEWNET, [] { return absl::OkStatus(); }, "ip link show lo");
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_THAT(down.output, Not(HasSubstr("UP")));
}

// The /proc/keys line (serial flags usage timeout perm uid gid type
// description) that holds `description`, split into fields.
std::vector<std::string> KeyLine(const std::string& proc_keys, const std::string& description) {
  for (absl::string_view line : absl::StrSplit(proc_keys, '\n')) {
    if (absl::StrContains(line, description)) {
      return absl::StrSplit(line, ' ', absl::SkipEmpty());
    }
  }
  return {};
}

TEST(SystemRootTest, SessionKeyringNamedAfterTheContainer) {
  const std::string id = absl::StrCat("hull-keyring-test-", getpid());
  LinuxKeyrings keyrings;
  const ChildOutcome outcome = RunThenShell(
      0, [&] { return JoinContainerSessionKeyring(config::Spec(), id, keyrings); },
      "cat /proc/keys");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  const std::vector<std::string> fields = KeyLine(outcome.output, absl::StrCat("_ses.", id));
  ASSERT_GE(fields.size(), 9u) << outcome.output;
  EXPECT_EQ(fields[7], "keyring");
  uint32_t permissions = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(fields[4], &permissions)) << fields[4];
  EXPECT_NE(permissions & 0x00080000u, 0u) << "no KEY_USR_SEARCH in " << fields[4];
}

}  // namespace
}  // namespace hull::system
