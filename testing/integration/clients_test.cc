// What runc's clients (podman, containerd and its shim, scripts) rely on
// beyond the spec: runc's error words, which they match on, and the configs
// and lifecycles they produce (tmpfs copy-up, containers sharing a pid or
// mount namespace, relative bind sources, ...), each proven through the real
// `hull` binary.
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/oci_state.pb.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ClientsTest : public HullTest {
 protected:
  // A container started from `spec`; its id.
  std::string StartContainer(const config::Spec& spec) {
    const std::string id = NewId();
    EXPECT_TRUE(CreateContainer(spec, id));
    HullResult started = Hull({"start", id});
    EXPECT_EQ(started.exit_code, 0) << started;
    return id;
  }
};

// containerd maps a kill's "container not running" to "process already
// finished"; the other texts are runc's too, Hull's detail follows them.
TEST_F(ClientsTest, RefusalsUseRuncsWords) {
  const std::string id = StartContainer(ContainerSpec({"true"}));
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");

  HullResult killed = Hull({"kill", id, "KILL"});
  EXPECT_EQ(killed.exit_code, 1) << killed;
  EXPECT_THAT(killed.err, HasSubstr("container not running")) << killed;
  EXPECT_THAT(killed.err, HasSubstr("is stopped")) << killed;

  HullResult exec = Hull({"exec", id, "true"});
  EXPECT_EQ(exec.exit_code, 1) << exec;
  EXPECT_THAT(exec.err, HasSubstr("cannot exec in a stopped container")) << exec;

  HullResult started = Hull({"start", id});
  EXPECT_EQ(started.exit_code, 1) << started;
  EXPECT_THAT(started.err, HasSubstr("cannot start a container that has stopped")) << started;

  HullResult missing = Hull({"kill", NewId(), "KILL"});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_THAT(missing.err, HasSubstr("container does not exist")) << missing;
}

// `kill ID 0` asks whether the init is alive: it succeeds while it is, and
// fails as runc does once it is gone.
TEST_F(ClientsTest, SignalZeroChecksThatTheInitIsAlive) {
  const std::string id = StartContainer(ContainerSpec({"sleep", "1000"}));
  HullResult alive = Hull({"kill", id, "0"});
  EXPECT_EQ(alive.exit_code, 0) << alive;
  HullResult all = Hull({"kill", "--all", id, "0"});
  EXPECT_EQ(all.exit_code, 0) << all;
  EXPECT_EQ(WaitForStatus(id, "running"), "running") << "signal 0 must not hurt";

  ASSERT_EQ(Hull({"kill", id, "KILL"}).exit_code, 0);
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");
  HullResult gone = Hull({"kill", id, "0"});
  EXPECT_EQ(gone.exit_code, 1) << gone;
  EXPECT_THAT(gone.err, HasSubstr("container not running")) << gone;
}

// The spec has a relative bind source relative to the bundle (runc's users
// write "source": "data").
TEST_F(ClientsTest, ARelativeBindSourceIsTheBundles) {
  config::Spec spec = ContainerSpec(Sh("cat /data/file"));
  AddMount(spec, "/data", "bind", "data", {"rbind", "ro"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_EQ(mkdir(((*bundle)->path() + "/data").c_str(), 0755), 0);
  ASSERT_TRUE(WriteFile((*bundle)->path() + "/data/file", "from the bundle\n").ok());
  HullResult result = RunBundle(**bundle);
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "from the bundle\n") << result;
}

// What real tools generate and runc accepts with a warning: a kernel memory
// limit (ignored), a cpu quota without a period (the kernel's default
// period), device access with letters other than r, w, m (ignored).
TEST_F(ClientsTest, WhatRuncAcceptsWithAWarningRunsWithAWarning) {
  config::Spec spec = ContainerSpec(Sh(
      "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us "
      "/sys/fs/cgroup/memory/memory.limit_in_bytes; grep '^c 10:229 ' "
      "/sys/fs/cgroup/devices/devices.list"));
  config::Resources& resources = *spec.mutable_linux()->mutable_resources();
  resources.mutable_memory()->set_limit(64 << 20);
  resources.mutable_memory()->set_kernel(32 << 20);
  resources.mutable_cpu()->set_quota(50000);
  config::DeviceCgroup& fuse = *resources.add_devices();
  fuse.set_allow(true);
  fuse.set_type("c");
  fuse.set_major(10);
  fuse.set_minor(229);
  fuse.set_access("rx");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, absl::StrCat("50000\n100000\n", 64 << 20, "\nc 10:229 r\n")) << result;
  EXPECT_THAT(result.err, HasSubstr("memory.kernel is deprecated and ignored")) << result;
  EXPECT_THAT(result.err, HasSubstr("cpu.quota 50000 without a period")) << result;
  EXPECT_THAT(result.err, HasSubstr("letters other than r, w and m are ignored")) << result;
}

// podman adds tmpcopyup to every tmpfs (`--read-only`'s /tmp, `--tmpfs`,
// `--mount type=tmpfs`): the tmpfs starts with what the image has there,
// modes, owners and symlinks included; writes go to the tmpfs, not the
// image.
TEST_F(ClientsTest, TmpcopyupFillsTheTmpfsFromTheImage) {
  config::Spec spec = ContainerSpec(Sh(
      "grep -c ' /srv/data tmpfs ' /proc/mounts; grep ' /srv/ro tmpfs ' /proc/mounts | "
      "grep -c '[ ,]ro[ ,]'; "
      "stat -c '%u:%g %a %F' /srv/data /srv/data/sub /srv/data/sub/file /srv/data/link; "
      "cat /srv/data/sub/file; readlink /srv/data/link; cat /srv/ro/file; "
      "echo written > /srv/data/new && cat /srv/data/new; "
      "touch /srv/ro/new 2>/dev/null || echo read-only"));
  spec.mutable_root()->set_readonly(true);
  AddMount(spec, "/srv/data", "tmpfs", "tmpfs", {"rw", "nosuid", "nodev", "tmpcopyup"});
  AddMount(spec, "/srv/ro", "tmpfs", "tmpfs", {"ro", "tmpcopyup"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string data = (*bundle)->rootfs() + "/srv/data";
  const std::string ro = (*bundle)->rootfs() + "/srv/ro";
  for (const std::string& dir : {(*bundle)->rootfs() + "/srv", data, data + "/sub", ro}) {
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
  }
  ASSERT_TRUE(WriteFile(data + "/sub/file", "from the image\n").ok());
  ASSERT_TRUE(WriteFile(ro + "/file", "read-only copy\n").ok());
  ASSERT_EQ(chown((data + "/sub/file").c_str(), 1234, 5678), 0);
  ASSERT_EQ(chmod((data + "/sub/file").c_str(), 0604), 0);
  ASSERT_EQ(chown((data + "/sub").c_str(), 1234, 5678), 0);
  // (The container's root has no CAP_DAC_OVERRIDE: others may read.)
  ASSERT_EQ(chmod((data + "/sub").c_str(), 02755), 0);
  ASSERT_EQ(chown(data.c_str(), 42, 43), 0);
  ASSERT_EQ(symlink("/etc/passwd", (data + "/link").c_str()), 0);

  HullResult result = RunBundle(**bundle);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out,
            "1\n1\n"
            "42:43 1777 directory\n"
            "1234:5678 2755 directory\n"
            "1234:5678 604 regular file\n"
            "0:0 777 symbolic link\n"
            "from the image\n/etc/passwd\nread-only copy\nwritten\nread-only\n")
      << result;
  EXPECT_FALSE(Exists(data + "/new")) << "the write must go to the tmpfs, not the image";
}

// `update --memory -1` on a container with a finite memory+swap limit: as
// runc, memory+swap becomes unlimited too (the kernel refuses a memory
// limit above memory+swap); back to a limit, then, memory+swap first.
TEST_F(ClientsTest, UpdateToUnlimitedMemoryAndBackSucceeds) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  SetMemoryLimit(spec, 64 << 20);
  const std::string id = StartContainer(spec);
  const std::vector<std::string> read = {
      "exec", id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
      "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"};

  HullResult unlimited = Hull({"update", "--memory", "-1", id});
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited;
  HullResult limits = Hull(read);
  ASSERT_EQ(limits.exit_code, 0) << limits;
  // The kernel's "unlimited", rounded down to its page size.
  EXPECT_EQ(limits.out, "9223372036854771712\n9223372036854771712\n") << limits;

  HullResult limited = Hull({"update", "--memory", "32m", "--memory-swap", "48m", id});
  ASSERT_EQ(limited.exit_code, 0) << limited;
  limits = Hull(read);
  EXPECT_EQ(limits.out, absl::StrCat(32 << 20, "\n", 48 << 20, "\n")) << limits;

  HullResult raised = Hull({"update", "--memory", "96m", "--memory-swap", "128m", id});
  ASSERT_EQ(raised.exit_code, 0) << raised;
  limits = Hull(read);
  EXPECT_EQ(limits.out, absl::StrCat(96 << 20, "\n", 128 << 20, "\n")) << limits;
}

// A container sharing the host's pid namespace (containerd's
// `--with-ns pid:...` shares another's) whose init exited while a child
// lives on: the pid of that child, once the container is stopped.
class LeftBehindTest : public ClientsTest {
 protected:
  pid_t StartAndStopLeavingAChild(const std::string& id) {
    config::Spec spec = ContainerSpec(Sh("sleep 1000 & echo $! > /child; exit 0"));
    RemoveNamespace(spec, "pid");
    spec.mutable_root()->set_readonly(false);
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    if (!bundle.ok()) {
      ADD_FAILURE() << bundle.status();
      return -1;
    }
    rootfs_ = (*bundle)->rootfs();
    if (!Create(**bundle, id)) return -1;
    HullResult started = Hull({"start", id});
    EXPECT_EQ(started.exit_code, 0) << started;
    EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
    pid_t child = -1;
    EXPECT_TRUE(Eventually([&] {
      absl::StatusOr<std::string> text = ReadFile(rootfs_ + "/child");
      return text.ok() && absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &child);
    })) << "the container's child never wrote its pid";
    EXPECT_FALSE(ProcessIsDead(child)) << "the child must outlive the init";
    return child;
  }

  std::string rootfs_;
};

TEST_F(LeftBehindTest, KillAllOfAStoppedContainerKillsWhatIsLeft) {
  const std::string id = NewId();
  const pid_t child = StartAndStopLeavingAChild(id);
  ASSERT_GT(child, 0);
  HullResult init_only = Hull({"kill", id, "KILL"});
  EXPECT_EQ(init_only.exit_code, 1) << init_only;
  EXPECT_THAT(init_only.err, HasSubstr("container not running")) << init_only;
  EXPECT_FALSE(ProcessIsDead(child));

  HullResult killed = Hull({"kill", "--all", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  EXPECT_TRUE(Eventually([child] { return ProcessIsDead(child); })) << "kill --all left it";
  HullResult deleted = Hull({"delete", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
}

TEST_F(LeftBehindTest, DeleteOfAContainerWithoutItsOwnPidNamespaceKillsWhatIsLeft) {
  const std::string id = NewId();
  const pid_t child = StartAndStopLeavingAChild(id);
  ASSERT_GT(child, 0);
  HullResult deleted = Hull({"delete", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_TRUE(ProcessIsDead(child)) << "delete left the container's process behind";
  EXPECT_THAT(Hull({"state", id}).err, HasSubstr("container does not exist"));
}

// A container whose cgroup someone else freezes: its init cannot run (on
// cgroup v1 it cannot even die of SIGKILL until thawed). Each test names the
// cgroup (/hullclients-ID in every hierarchy) and removes what is left of it.
class FrozenCgroupTest : public ClientsTest {
 protected:
  void SetUp() override {
    ClientsTest::SetUp();
    id_ = NewId();
    cgroup_ = "/hullclients-" + id_;
    freezer_ = "/sys/fs/cgroup/freezer" + cgroup_;
    ASSERT_TRUE(Exists("/sys/fs/cgroup/freezer/freezer.state") ||
                Exists("/sys/fs/cgroup/freezer/cgroup.procs"))
        << "this test freezes a cgroup v1 freezer cgroup; this host has none";
  }

  void TearDown() override {
    // Thawed first, so that whatever a failure left can die.
    if (Exists(freezer_)) (void)WriteFile(freezer_ + "/freezer.state", "THAWED");
    ClientsTest::TearDown();
    for (const std::string& hierarchy : DirectoryEntries("/sys/fs/cgroup")) {
      const std::string dir = absl::StrCat("/sys/fs/cgroup/", hierarchy, cgroup_);
      if (Exists(dir)) {
        EXPECT_EQ(rmdir(dir.c_str()), 0) << dir << " is left: " << strerror(errno);
      }
    }
  }

  config::Spec Spec() const {
    config::Spec spec = ContainerSpec({"sleep", "1000"});
    spec.mutable_linux()->set_cgroups_path(cgroup_);
    return spec;
  }

  // `hull run -d` of `spec`, which must fail within a few seconds, saying
  // runc's words, and leave no process.
  void ExpectRunFailsAsFrozen(const config::Spec& spec) {
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const absl::Time start = absl::Now();
    HullResult result =
        Hull({"run", "-d", "--bundle", (*bundle)->path(), id_}, {.timeout = absl::Seconds(15)});
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, HasSubstr("container's cgroup unexpectedly frozen")) << result;
    EXPECT_LT(absl::Now() - start, absl::Seconds(10)) << "a frozen init must not stall create";
    EXPECT_THAT(LeftoverProcesses({(*bundle)->path(), (*bundle)->rootfs()}, root()),
                ::testing::IsEmpty());
    EXPECT_THAT(Hull({"state", id_}).err, HasSubstr("container does not exist"));
  }

  std::string id_;
  std::string cgroup_;
  std::string freezer_;
};

// runc refuses up front: the init would hang in the kernel before its first
// step.
TEST_F(FrozenCgroupTest, CreateIntoAFrozenCgroupIsRefused) {
  ASSERT_EQ(mkdir(freezer_.c_str(), 0755), 0) << strerror(errno);
  ASSERT_TRUE(WriteFile(freezer_ + "/freezer.state", "FROZEN").ok());
  ExpectRunFailsAsFrozen(Spec());
  EXPECT_TRUE(Exists(freezer_)) << "the cgroup was not Hull's to remove";
}

// Frozen while the init waits for its hooks (a createRuntime hook freezes
// it): the launcher notices instead of waiting out its timeout, and the
// init it kills dies (its cgroup is thawed for it).
TEST_F(FrozenCgroupTest, AnInitFrozenDuringCreateIsKilledAndNothingIsLeft) {
  config::Spec spec = Spec();
  config::Hook& freeze = *spec.mutable_hooks()->add_create_runtime();
  freeze.set_path("/bin/sh");
  freeze.add_args("sh");
  freeze.add_args("-c");
  freeze.add_args(absl::StrCat("echo FROZEN > ", freezer_, "/freezer.state"));
  ExpectRunFailsAsFrozen(spec);
  EXPECT_FALSE(Exists(freezer_)) << "Hull made this cgroup: delete must remove it";
}

// The runtime-spec allows a container without a mount namespace of its own:
// it shares Hull's, where nothing is mounted and nothing pivots; the init
// (and what `exec` starts) chroots into the rootfs.
config::Spec WithoutMounts(config::Spec spec) {
  spec.clear_mounts();
  spec.mutable_linux()->clear_masked_paths();
  spec.mutable_linux()->clear_readonly_paths();
  spec.mutable_root()->set_readonly(false);
  return spec;
}

TEST_F(ClientsTest, AContainerWithoutAMountNamespaceChrootsInTheHostsOne) {
  absl::StatusOr<std::set<std::string>> mounts_before = HostMounts();
  ASSERT_TRUE(mounts_before.ok()) << mounts_before.status();
  config::Spec spec = WithoutMounts(ContainerSpec(Sh("cat /marker; sleep 1000")));
  RemoveNamespace(spec, "mount");
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(WriteFile((*bundle)->rootfs() + "/marker", "in the rootfs\n").ok());
  const std::string id = NewId();
  ASSERT_TRUE(Create(**bundle, id));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  auto link = [](const std::string& path) {
    char target[PATH_MAX] = {};
    return readlink(path.c_str(), target, sizeof(target) - 1) > 0 ? std::string(target) : "?";
  };
  EXPECT_EQ(link(absl::StrCat("/proc/", state->pid(), "/ns/mnt")), link("/proc/self/ns/mnt"))
      << "the init must be in the host's mount namespace";
  EXPECT_EQ(link(absl::StrCat("/proc/", state->pid(), "/root")), (*bundle)->rootfs());
  absl::StatusOr<std::set<std::string>> mounts_after = HostMounts();
  ASSERT_TRUE(mounts_after.ok()) << mounts_after.status();
  // Only what appeared counts: other processes on the host may unmount theirs.
  std::vector<std::string> mounted;
  std::set_difference(mounts_after->begin(), mounts_after->end(), mounts_before->begin(),
                      mounts_before->end(), std::back_inserter(mounted));
  EXPECT_THAT(mounted, IsEmpty()) << "nothing may be mounted in the host's namespace";

  HullResult exec = Hull({"exec", id, "cat", "/marker"});
  EXPECT_EQ(exec.exit_code, 0) << exec;
  EXPECT_EQ(exec.out, "in the rootfs\n") << "exec must enter the container's root";

  // What would need a mount there is refused, naming the field.
  config::Spec with_mounts = ContainerSpec({"true"});
  RemoveNamespace(with_mounts, "mount");
  HullResult refused = RunContainer(with_mounts);
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_THAT(refused.err, HasSubstr("invalid configuration: ")) << refused;
  EXPECT_THAT(refused.err, HasSubstr("needs a mount namespace")) << refused;
}

// Joining a mount namespace by path (another container's): it is set up
// already, the new container's root is a path in it, and nothing is mounted
// or pivoted there.
TEST_F(ClientsTest, AContainerJoinsAnotherContainersMountNamespace) {
  config::Spec first_spec =
      ContainerSpec(Sh("echo first > /marker.new; mv /marker.new /marker; sleep 1000"));
  first_spec.mutable_root()->set_readonly(false);
  const std::string first = StartContainer(first_spec);
  absl::StatusOr<runtime::OciState> first_state = State(first);
  ASSERT_TRUE(first_state.ok()) << first_state.status();
  const std::string first_ns = absl::StrCat("/proc/", first_state->pid(), "/ns/mnt");
  const std::string first_root = absl::StrCat("/proc/", first_state->pid(), "/root");
  ASSERT_TRUE(Eventually([&] { return Exists(first_root + "/marker"); }));
  absl::StatusOr<std::set<std::string>> mounts_before = HostMounts();
  ASSERT_TRUE(mounts_before.ok()) << mounts_before.status();

  config::Spec second_spec = WithoutMounts(ContainerSpec(Sh("cat /marker; sleep 1000")));
  SetNamespace(second_spec, "mount", first_ns);
  absl::StatusOr<Bundle*> bundle = MakeBundle(second_spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  second_spec.mutable_root()->set_path("/");  // the first container's root, in its namespace
  ASSERT_TRUE((*bundle)->WriteConfig(second_spec).ok());
  const std::string second = NewId();
  ASSERT_TRUE(Create(**bundle, second));
  ASSERT_EQ(Hull({"start", second}).exit_code, 0);
  HullResult exec = Hull({"exec", second, "cat", "/marker"});
  EXPECT_EQ(exec.exit_code, 0) << exec;
  EXPECT_EQ(exec.out, "first\n") << exec;
  absl::StatusOr<std::set<std::string>> mounts_after = HostMounts();
  ASSERT_TRUE(mounts_after.ok()) << mounts_after.status();
  EXPECT_EQ(*mounts_after, *mounts_before);
}

// Pods make a parent cgroup and leave its v1 cpuset.cpus and cpuset.mems
// empty; no process can join a cgroup below it until they are set (ENOSPC).
// As runc, the empty ancestors get their parents'.
TEST_F(ClientsTest, AContainerJoinsACpusetBelowAnEmptyParentMadeByOthers) {
  const std::string cpuset = "/sys/fs/cgroup/cpuset";
  ASSERT_TRUE(Exists(cpuset + "/cpuset.cpus")) << "this test needs the v1 cpuset hierarchy";
  const std::string id = NewId();
  const std::string pod = "/hullclients-pod-" + id;
  ASSERT_EQ(mkdir((cpuset + pod).c_str(), 0755), 0) << strerror(errno);
  absl::StatusOr<std::string> empty = ReadFile(cpuset + pod + "/cpuset.cpus");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(absl::StripAsciiWhitespace(*empty), "") << "a new cpuset starts empty";

  config::Spec spec = ContainerSpec(Sh("cat /sys/fs/cgroup/cpuset/cpuset.cpus"));
  spec.mutable_linux()->set_cgroups_path(pod + "/container");
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.exit_code, 0) << result;
  absl::StatusOr<std::string> root_cpus = ReadFile(cpuset + "/cpuset.cpus");
  ASSERT_TRUE(root_cpus.ok()) << root_cpus.status();
  EXPECT_EQ(result.out, *root_cpus) << result;
  absl::StatusOr<std::string> filled = ReadFile(cpuset + pod + "/cpuset.cpus");
  EXPECT_EQ(filled.value_or(""), *root_cpus) << "the pod's cpuset was not filled";

  // The pod's directory is not Hull's: run removed only the container's.
  EXPECT_FALSE(Exists(cpuset + pod + "/container"));
  EXPECT_EQ(rmdir((cpuset + pod).c_str()), 0) << strerror(errno);
  for (const std::string& hierarchy : DirectoryEntries("/sys/fs/cgroup")) {
    EXPECT_FALSE(Exists(absl::StrCat("/sys/fs/cgroup/", hierarchy, pod))) << hierarchy;
  }
}

TEST_F(ClientsTest, CreateOfAnExistingIdSaysItExists) {
  const std::string id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"sleep", "1000"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(Create(**bundle, id));
  HullResult again = Hull({"create", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(again.exit_code, 1) << again;
  EXPECT_THAT(again.err, HasSubstr("container with id exists")) << again;
}

TEST_F(ClientsTest, AConfigTheSpecRefusesIsAnInvalidConfiguration) {
  config::Spec spec = ContainerSpec({"true"});
  RemoveNamespace(spec, "uts");
  spec.set_hostname("box");
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("invalid configuration: ")) << result;
  EXPECT_THAT(result.err, HasSubstr("hostname")) << result;
}

TEST_F(ClientsTest, ResourcesTheHostCannotApplyAreAnInvalidConfiguration) {
  config::Spec spec = ContainerSpec({"true"});
  (*spec.mutable_linux()->mutable_resources()->mutable_unified())["memory.max"] = "16M";
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("invalid configuration: ")) << result;
}

}  // namespace
}  // namespace hull::testing
