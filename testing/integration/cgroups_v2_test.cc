// The cgroup side on a cgroup v2 host, proven from inside real containers.
// This host's cgroups are hybrid: the test runs in the VM
// (//testing/integration:cgroups_v2_vm_test; the binary itself is manual).
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr int64_t kMiB = 1 << 20;
constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

class CgroupsV2Test : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    if (HasFatalFailure()) return;
    // Loud, never a skip: on a v1 or hybrid host this suite proves nothing.
    struct statfs fs;
    ASSERT_TRUE(statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == kCgroup2Magic)
        << "this suite needs a cgroup v2 host (it runs in the VM: cgroups_v2_vm_test)";
    absl::StatusOr<std::string> share = MakeTempDir("share");
    ASSERT_TRUE(share.ok()) << share.status();
    share_ = *share;
  }

  // runc's default config running `script`, with a cgroup namespace (so the
  // container sees its own cgroup at /sys/fs/cgroup) and the test's /share.
  config::Spec Spec(const std::string& script) {
    config::Spec spec = ContainerSpec(Sh(script));
    SetNamespace(spec, "cgroup", "");
    AddMount(spec, "/share", "bind", share_, {"rbind", "rw"});
    return spec;
  }

  std::string share_;
};

TEST_F(CgroupsV2Test, MemoryMaxOomKillsAndTheContainerSeesIt) {
  config::Spec spec = Spec(
      "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max;"
      " dd if=/dev/zero of=/dev/null bs=64M count=1 2> /dev/null; echo hog $?;"
      " grep '^oom_kill ' /sys/fs/cgroup/memory.events");
  SetMemoryLimit(spec, 32 * kMiB);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("33554432", "0", "hog 137", "oom_kill 1")) << result;
}

TEST_F(CgroupsV2Test, PidsMaxStopsForks) {
  config::Spec spec = Spec("cat /sys/fs/cgroup/pids.max; for i in $(seq 20); do sleep 30 & done");
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(10);
  HullResult result = RunContainer(spec);
  EXPECT_THAT(Lines(result.out), ElementsAre("10")) << result;
  EXPECT_THAT(result.err, HasSubstr("can't fork: Resource temporarily unavailable")) << result;
}

// cpu.shares 1024 is weight 39 (runc's formula); the quota reads back as
// cpu.max, and a busy loop gets throttled. Half a CPU: the container's other
// processes (the init re-executing hull among them) run under the quota too,
// and the VM is emulated.
TEST_F(CgroupsV2Test, CpuLimitsApplyAndThrottle) {
  config::Spec spec = Spec(
      "cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight;"
      " timeout 1 sh -c 'while :; do :; done'; grep -q '^nr_throttled [1-9]'"
      " /sys/fs/cgroup/cpu.stat && echo throttled");
  config::Cpu& cpu = *spec.mutable_linux()->mutable_resources()->mutable_cpu();
  cpu.set_quota(50000);
  cpu.set_period(100000);
  cpu.set_shares(1024);
  HullResult result = RunContainer(spec);
  EXPECT_THAT(Lines(result.out), ElementsAre("50000 100000", "39", "throttled")) << result;
}

// The eBPF device filter: runc's defaults allow mknod of any device and the
// use of /dev/null, not /dev/fuse.
TEST_F(CgroupsV2Test, TheDeviceFilterDeniesWhatTheRulesDoNotAllow) {
  config::Spec spec = Spec(
      "mknod /dev/fuse-node c 10 229 && echo made; true < /dev/fuse-node && echo opened fuse;"
      " mknod /dev/null-node c 1 3 && true < /dev/null-node && echo opened null");
  AddCapability(spec, "CAP_MKNOD");
  HullResult result = RunContainer(spec);
  EXPECT_THAT(Lines(result.out), ElementsAre("made", "opened null")) << result;
  EXPECT_THAT(result.err, HasSubstr("can't open /dev/fuse-node: Operation not permitted"))
      << result;
}

TEST_F(CgroupsV2Test, PauseFreezesAndResumeThaws) {
  const std::string id = "counter";
  ASSERT_TRUE(CreateContainer(Spec(
      "i=0; while true; do i=$((i + 1)); echo $i > /share/count.new;"
      " mv /share/count.new /share/count; sleep 0.05; done"), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  auto count = [&] { return ReadFile(share_ + "/count").value_or(""); };
  ASSERT_TRUE(Eventually([&] { return !count().empty(); })) << "the container does not count";

  ASSERT_EQ(Hull({"pause", id}).exit_code, 0);
  EXPECT_EQ(WaitForStatus(id, "paused"), "paused");
  const std::string frozen = count();
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(count(), frozen) << "the counter moved while paused";

  ASSERT_EQ(Hull({"resume", id}).exit_code, 0);
  EXPECT_TRUE(Eventually([&] { return count() != frozen; })) << "the counter stays frozen";
  EXPECT_EQ(WaitForStatus(id, "running"), "running");
  ASSERT_EQ(Hull({"delete", "--force", id}).exit_code, 0);
}

TEST_F(CgroupsV2Test, UpdateChangesTheLimitTheContainerSees) {
  const std::string id = "updated";
  ASSERT_TRUE(CreateContainer(Spec(
      "while :; do cat /sys/fs/cgroup/pids.max > /share/pids.new;"
      " mv /share/pids.new /share/pids; sleep 0.05; done"), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult updated = Hull({"update", "--pids-limit", "7", id});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  std::string seen;
  Eventually(
      [&] {
        seen = ReadFile(share_ + "/pids").value_or("");
        return seen == "7\n";
      },
      absl::Seconds(5));
  EXPECT_EQ(seen, "7\n");
  ASSERT_EQ(Hull({"delete", "--force", id}).exit_code, 0);
}

TEST_F(CgroupsV2Test, DeleteRemovesTheContainersCgroup) {
  HullResult result = RunContainer(Spec("true"));
  ASSERT_EQ(result.exit_code, 0) << result;
  struct stat info;
  EXPECT_NE(stat("/sys/fs/cgroup/hull", &info), 0) << "/hull was left behind";
}

// A relative cgroupsPath is placed beside the launcher's cgroup, below its
// parent, as runc places it on cgroup v2 (the launcher's cgroup holds
// processes, so no controller could be enabled below it): the test moves
// itself, and so the launcher it forks, into a leaf of a cgroup it made.
// That needs the mount's root cgroup: the one case where the layout is
// detected with /proc/self/mountinfo.
TEST_F(CgroupsV2Test, ARelativeCgroupsPathIsBesideTheLaunchersCgroup) {
  absl::StatusOr<std::string> own = ReadFile("/proc/self/cgroup");
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_TRUE(absl::StartsWith(*own, "0::")) << *own;
  const std::string own_cgroup(absl::StripAsciiWhitespace(absl::string_view(*own).substr(3)));
  const std::string parent = absl::StrCat("/hull-relative-", getpid());
  const std::string parent_directory = absl::StrCat("/sys/fs/cgroup", parent);
  ASSERT_EQ(mkdir(parent_directory.c_str(), 0755), 0) << parent_directory;
  const std::string leaf = parent_directory + "/launcher";
  ASSERT_EQ(mkdir(leaf.c_str(), 0755), 0) << leaf;
  ASSERT_TRUE(WriteFile(leaf + "/cgroup.procs", absl::StrCat(getpid())).ok());

  const std::string relative = absl::StrCat("relative-", NewId());
  // No cgroup namespace: the container's process shows its host cgroup.
  config::Spec spec = ContainerSpec(Sh("cat /proc/self/cgroup"));
  spec.mutable_linux()->set_cgroups_path(relative);
  SetMemoryLimit(spec, 64 * kMiB);
  HullResult result = RunContainer(spec);
  // Back where the test was, before any assertion can return.
  EXPECT_TRUE(
      WriteFile(absl::StrCat("/sys/fs/cgroup", own_cgroup, "/cgroup.procs"), absl::StrCat(getpid()))
          .ok());
  EXPECT_EQ(rmdir(leaf.c_str()), 0) << leaf;
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre(absl::StrCat("0::", parent, "/", relative)))
      << result;
  struct stat info;
  EXPECT_NE(stat(absl::StrCat(parent_directory, "/", relative).c_str(), &info), 0)
      << "the container's cgroup was left behind";
  EXPECT_EQ(rmdir(parent_directory.c_str()), 0) << parent_directory;
}

}  // namespace
}  // namespace hull::testing
