// What a `hull` killed midway leaves, and what the next command does with
// it, on real containers: create killed at each of its steps (the crash
// points of base/crash_point.h) and then `delete --force`; a container put
// in a cgroup that holds another process (cgroupsPath), which the
// container's kill --all, ps and delete --force leave alone.
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/crash_point.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The crash points of create, in the order it passes them (the two of the
// hooks only when the init waits for them, channel::InitWaitsAfterMounts).
constexpr const char* kCreateCrashPoints[] = {
    "state-directory-made", "state-file-written", "state-directory-renamed",
    "cgroup-paths-saved",   "cgroups-made",       "exec-fifo-made",
    "init-cloned",          "init-saved",         "init-ready-for-hooks",
    "hooks-done-sent",      "init-ready",
};

// The points after which the init is alive and recorded, and before it
// reported ready: it dies with its launcher, before anyone deletes it (at
// hooks-done-sent, unless it reported ready before the launcher died).
const std::set<std::string> kInitDiesWithTheLauncher = {"init-saved", "init-ready-for-hooks",
                                                        "hooks-done-sent"};

// Whether `pid` sleeps in the open of the exec fifo: it reported ready and
// waits for start.
bool WaitsForStart(pid_t pid) {
  const absl::StatusOr<std::string> wchan = ReadFile(absl::StrCat("/proc/", pid, "/wchan"));
  return wchan.ok() && *wchan == "wait_for_partner";
}

class CrashSafetyTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    mounts_before_ = *mounts;
  }

  // `hull create` of `bundle` as `id`, killing itself at `point`.
  HullResult CreateCrashingAt(const Bundle& bundle, const std::string& id, const char* point) {
    setenv(kCrashAtVariable, point, 1);
    HullResult created = Hull({"create", "--bundle", bundle.path(), id});
    unsetenv(kCrashAtVariable);
    return created;
  }

  // A bundle running `sleep 1000` in the cgroup `cgroups_path` names.
  absl::StatusOr<Bundle*> SleeperIn(const std::string& cgroups_path) {
    config::Spec spec = ContainerSpec({"sleep", "1000"});
    spec.mutable_linux()->set_cgroups_path(cgroups_path);
    return MakeBundle(spec);
  }

  std::set<std::string> mounts_before_;
};

TEST_F(CrashSafetyTest, DeleteForceRemovesWhatACreateKilledAtAnyStepLeft) {
  // A prestart hook: the init then waits after its mounts, and create passes
  // init-ready-for-hooks and hooks-done-sent too.
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  spec.mutable_hooks()->add_prestart()->set_path("/bin/true");
  for (const char* point : kCreateCrashPoints) {
    SCOPED_TRACE(point);
    const std::string id = NewId();
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();

    const HullResult created = CreateCrashingAt(**bundle, id, point);
    // Killed there, so the step was reached, and something is left.
    ASSERT_EQ(created.exit_code, 128 + SIGKILL) << created;
    EXPECT_THAT(DirectoryEntries(root()), Not(IsEmpty()));
    absl::StatusOr<runtime::OciState> state = State(id);
    if (kInitDiesWithTheLauncher.count(point) > 0 || std::string(point) == "init-ready") {
      ASSERT_TRUE(state.ok()) << state.status();
      ASSERT_GT(state->pid(), 0) << "the init was not recorded";
      EXPECT_EQ(state->status(), "creating");
      if (std::string(point) == "hooks-done-sent") {
        // The launcher sent the hooks' end and was killed; its exit can take
        // longer than the init's last steps (a loaded host), and an init that
        // reported ready first no longer dies with it: it waits for start, as
        // after init-ready. Either way delete --force removes it (below).
        EXPECT_TRUE(Eventually(
            [&] { return ProcessIsDead(state->pid()) || WaitsForStart(state->pid()); },
            absl::Seconds(5)))
            << "the init " << state->pid() << " outlived its launcher, not waiting for start";
      } else if (kInitDiesWithTheLauncher.count(point) > 0) {
        EXPECT_TRUE(Eventually([&] { return ProcessIsDead(state->pid()); }, absl::Seconds(5)))
            << "the init " << state->pid() << " outlived its launcher";
      } else {
        // Ready, it waits for start on its own: delete must kill it.
        EXPECT_FALSE(ProcessIsDead(state->pid()));
      }
    }

    const HullResult deleted = Hull({"delete", "--force", id});
    EXPECT_EQ(deleted.exit_code, 0) << deleted;
    ExpectNothingLeft(**bundle, id, mounts_before_);
  }
}

// A process of the test's, paused, in a cgroup of the test's: the one Hull
// reads a container's processes from for cgroupsPath `cgroups_path` (the
// cgroup2 hierarchy's on a cgroup v2 host, else the freezer's). Both go
// when it is destroyed.
class ForeignProcess {
 public:
  explicit ForeignProcess(const std::string& cgroups_path)
      : cgroup_((Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup"
                                                              : "/sys/fs/cgroup/freezer") +
                cgroups_path) {
    if (mkdir(cgroup_.c_str(), 0755) != 0) {
      ADD_FAILURE() << "mkdir " << cgroup_ << ": " << strerror(errno);
      cgroup_.clear();
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      while (true) pause();
    }
    EXPECT_GT(pid_, 0);
    EXPECT_TRUE(WriteFile(cgroup_ + "/cgroup.procs", absl::StrCat(pid_)).ok()) << cgroup_;
  }
  ~ForeignProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (!cgroup_.empty()) {
      Eventually([&] { return rmdir(cgroup_.c_str()) == 0 || errno == ENOENT; });
    }
  }

  bool ok() const { return pid_ > 0 && !cgroup_.empty(); }
  pid_t pid() const { return pid_; }
  const std::string& cgroup() const { return cgroup_; }

 private:
  std::string cgroup_;
  pid_t pid_ = -1;
};

// A process of the test's, not the container's, in the cgroup that
// cgroupsPath names: create warns as runc does, and ps, kill --all and
// delete --force leave it alone (the container has its own pid namespace).
TEST_F(CrashSafetyTest, ACgroupsForeignProcessIsNotTheContainers) {
  const std::string id = NewId();
  const std::string cgroups_path = absl::StrCat("/hull-foreign-", id);
  const ForeignProcess foreign_process(cgroups_path);
  ASSERT_TRUE(foreign_process.ok());
  const pid_t foreign = foreign_process.pid();

  absl::StatusOr<Bundle*> bundle = SleeperIn(cgroups_path);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  EXPECT_THAT(created.err, HasSubstr("container's cgroup is not empty: 1 process(es) found"));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();

  const HullResult ps = Hull({"ps", "--format", "json", id});
  ASSERT_EQ(ps.exit_code, 0) << ps;
  EXPECT_THAT(ParsePidList(ps.out), Contains(state->pid()));
  EXPECT_THAT(ParsePidList(ps.out), Not(Contains(foreign)));

  ASSERT_EQ(Hull({"kill", "--all", id, "KILL"}).exit_code, 0);
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  EXPECT_FALSE(ProcessIsDead(foreign)) << "kill --all killed a process not the container's";

  const HullResult deleted = Hull({"delete", "--force", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_FALSE(ProcessIsDead(foreign)) << "delete --force killed a process not the container's";
  EXPECT_TRUE(Exists(foreign_process.cgroup())) << "delete removed a cgroup it did not make";
}

// The same for a created container, which delete --force kills.
TEST_F(CrashSafetyTest, DeleteForceOfACreatedContainerSparesItsCgroupsForeignProcess) {
  const std::string id = NewId();
  const std::string cgroups_path = absl::StrCat("/hull-foreign-", id);
  const ForeignProcess foreign_process(cgroups_path);
  ASSERT_TRUE(foreign_process.ok());
  const pid_t foreign = foreign_process.pid();

  absl::StatusOr<Bundle*> bundle = SleeperIn(cgroups_path);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_EQ(Hull({"create", "--bundle", (*bundle)->path(), id}).exit_code, 0);
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();

  const HullResult deleted = Hull({"delete", "--force", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  ReapExitedContainers();
  EXPECT_TRUE(ProcessIsDead(state->pid()));
  EXPECT_FALSE(ProcessIsDead(foreign)) << "delete --force killed a process not the container's";
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
}

}  // namespace
}  // namespace hull::testing
