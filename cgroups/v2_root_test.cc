// V2Manager against a real cgroup v2 kernel: the limits bite, the device
// filter denies, the freezer stops, stats move, Destroy cleans up. Needs root
// on a cgroup v2 host, so it runs in the VM (:v2_root_vm_test, testing/vm);
// on any other host it fails, saying so. Every test makes its own cgroup
// /sys/fs/cgroup/hull-test-<pid>-<n>/c, kills its processes and removes it.
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_filter_loader.h"
#include "cgroups/device_rules.h"
#include "cgroups/layout.h"
#include "cgroups/stat_files.h"
#include "cgroups/v2.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr size_t kMiB = 1 << 20;

// Burns CPU for `iterations` rounds (forever when 0), in a way the compiler
// cannot remove.
void Spin(uint64_t iterations) {
  static std::atomic<uint64_t> sink;
  for (uint64_t i = 0; iterations == 0 || i < iterations; ++i) {
    sink.fetch_add(1, std::memory_order_relaxed);
  }
}

config::Resources Parse(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

class V2RootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::StatusOr<Layout> layout = DetectLayout();
    ASSERT_THAT(layout, IsOk());
    ASSERT_EQ(layout->mode, CgroupMode::kV2)
        << "not a cgroup v2 host: this test runs in the VM (bazel test //cgroups:v2_root_vm_test)";
    // Killed processes of ours that were reparented come back to be reaped.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0) << strerror(errno);
    static int counter = 0;
    mount_point_ = layout->unified->mount_point;
    parent_ = absl::StrCat(mount_point_, "/hull-test-", getpid(), "-", ++counter);
    directory_ = parent_ + "/c";
    manager_ = NewManager();
    ASSERT_THAT(manager_->Create(), IsOk());
    ASSERT_EQ(manager_->CreatedPaths().at(""), parent_);
  }

  void TearDown() override {
    if (manager_ == nullptr) return;
    EXPECT_THAT(manager_->Signal(SIGKILL), IsOk());
    ReapChildren();
    EXPECT_THAT(manager_->Destroy(), IsOk());
    struct stat st;
    EXPECT_NE(stat(parent_.c_str(), &st), 0) << parent_ << " is left behind";
  }

  std::unique_ptr<V2Manager> NewManager(std::string created = "") {
    return std::make_unique<V2Manager>(mount_point_, directory_, std::move(created),
                                       std::make_unique<LinuxCgroupFs>(),
                                       std::make_unique<LinuxDeviceFilterLoader>());
  }

  // Forks a child that joins the cgroup (AddProcess) before it runs `body`,
  // whose result is its exit status.
  pid_t Start(const std::function<int()>& body) {
    absl::StatusOr<pid_t> pid = ::hull::testing::StartHeldChild(
        body, [this](pid_t child) { return manager_->AddProcess(child); });
    EXPECT_THAT(pid, IsOk());
    return pid.ok() ? *pid : -1;
  }

  // The wait status of `pid`.
  int Wait(pid_t pid) {
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid) << strerror(errno);
    return status;
  }

  void ReapChildren() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      const pid_t pid = waitpid(-1, nullptr, WNOHANG);
      if (pid < 0 && errno == ECHILD) return;
      if (pid <= 0) absl::SleepFor(absl::Milliseconds(5));
    }
    ADD_FAILURE() << "children still alive after 10 s";
  }

  uint64_t EventCount(const std::string& file, const std::string& key) {
    LinuxCgroupFs fs;
    const absl::StatusOr<std::string> contents = fs.ReadFile(directory_ + "/" + file);
    EXPECT_THAT(contents, IsOk());
    if (!contents.ok()) return 0;
    const absl::StatusOr<std::map<std::string, uint64_t>> values =
        ParseKeyValues(*contents, file);
    EXPECT_THAT(values, IsOk());
    return values.ok() && values->count(key) ? values->at(key) : 0;
  }

  std::string mount_point_;
  std::string parent_;
  std::string directory_;
  std::unique_ptr<V2Manager> manager_;
};

TEST_F(V2RootTest, CreateEnablesTheControllersInTheParents) {
  LinuxCgroupFs fs;
  const absl::StatusOr<std::string> controllers = fs.ReadFile(directory_ + "/cgroup.controllers");
  ASSERT_THAT(controllers, IsOk());
  const std::vector<std::string> names = absl::StrSplit(*controllers, absl::ByAnyChar(" \n"),
                                                        absl::SkipEmpty());
  for (const char* controller : {"cpu", "memory", "pids", "io"}) {
    EXPECT_THAT(names, Contains(controller));
  }
}

TEST_F(V2RootTest, CloneIntoCgroupStartsTheChildInside) {
  absl::StatusOr<CloneTargets> targets = manager_->OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  const UniqueFd* directory = &targets->cgroup2_directory;
  clone_args args{};
  args.flags = CLONE_INTO_CGROUP;
  args.exit_signal = SIGCHLD;
  args.cgroup = static_cast<uint64_t>(directory->get());
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid == 0) {
    // Its own cgroup, from its own point of view.
    char line[512] = {};
    const int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
    const ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);
    const std::string expected = absl::StrCat("0::", directory_.substr(mount_point_.size()), "\n");
    _exit(n > 0 && line == expected ? 0 : 1);
  }
  ASSERT_GT(pid, 0) << "clone3: " << strerror(errno);
  const int status = Wait(static_cast<pid_t>(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(V2RootTest, MemoryMaxOomKillsAHog) {
  ASSERT_THAT(manager_->Apply(Parse("memory { limit: 33554432 swap: 33554432 }")), IsOk());
  const uint64_t kills_before = EventCount("memory.events", "oom_kill");
  const pid_t hog = Start([] {
    const size_t size = 256 * kMiB;
    char* memory = static_cast<char*>(
        mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (memory == MAP_FAILED) return 2;
    for (size_t offset = 0; offset < size; offset += 4096) memory[offset] = 1;
    return 0;
  });
  const int status = Wait(hog);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the hog was not killed: status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_GT(EventCount("memory.events", "oom_kill"), kills_before);
  const absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->memory().usage().limit(), 32 * kMiB);
  EXPECT_GT(stats->memory().usage().failcnt(), 0u);
}

TEST_F(V2RootTest, PidsMaxStopsAForkLoop) {
  ASSERT_THAT(manager_->Apply(Parse("pids { limit: 8 }")), IsOk());
  // Forks until the kernel refuses; the exit status is how many it made.
  const pid_t forker = Start([] {
    int forks = 0;
    while (forks < 100) {
      const pid_t child = fork();
      if (child < 0) return errno == EAGAIN ? forks : 101;
      if (child == 0) {
        pause();
        _exit(0);
      }
      ++forks;
    }
    return forks;
  });
  const int status = Wait(forker);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  // The forker and 7 children make 8.
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_GT(EventCount("pids.events", "max"), 0u);
}

TEST_F(V2RootTest, CpuMaxThrottles) {
  ASSERT_THAT(manager_->Apply(Parse("cpu { quota: 10000 period: 100000 }")), IsOk());
  const pid_t spinner = Start([] {
    Spin(0);
    return 0;
  });
  const absl::Time start = absl::Now();
  absl::SleepFor(absl::Seconds(2));
  const absl::StatusOr<Stats> stats = manager_->GetStats();
  const absl::Duration elapsed = absl::Now() - start;
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  Wait(spinner);
  ASSERT_THAT(stats, IsOk());
  EXPECT_GT(stats->cpu().throttling().periods(), 0u);
  EXPECT_GT(stats->cpu().throttling().throttled_periods(), 0u);
  EXPECT_GT(stats->cpu().throttling().throttled_time(), 0u);
  // 10% of one CPU, with room for the period in progress.
  EXPECT_GT(stats->cpu().usage().total(), 0u);
  EXPECT_LT(absl::Nanoseconds(stats->cpu().usage().total()), elapsed * 0.2);
}

TEST_F(V2RootTest, ADeniedDeviceGivesEperm) {
  ASSERT_EQ(access("/dev/kmsg", F_OK), 0) << "/dev/kmsg (c 1:11) is the denied device here";
  config::Resources resources = Parse("devices { allow: false access: \"rwm\" }");
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) *resources.add_devices() = rule;
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  const auto open_errno = [](const char* path, int flags) {
    return [=] {
      const int fd = open(path, flags | O_CLOEXEC);
      return fd >= 0 ? 0 : errno;
    };
  };
  int status = Wait(Start(open_errno("/dev/null", O_RDWR)));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  status = Wait(Start(open_errno("/dev/kmsg", O_RDONLY)));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM) << status;
}

TEST_F(V2RootTest, FreezeStopsACountingChild) {
  auto* counter = static_cast<std::atomic<uint64_t>*>(mmap(
      nullptr, sizeof(std::atomic<uint64_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
      -1, 0));
  ASSERT_NE(counter, MAP_FAILED);
  counter->store(0);
  const pid_t child = Start([counter] {
    for (;;) counter->fetch_add(1);
    return 0;
  });
  while (counter->load() == 0) absl::SleepFor(absl::Milliseconds(1));

  ASSERT_THAT(manager_->Freeze(), IsOk());
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(true));
  const uint64_t frozen_at = counter->load();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(counter->load(), frozen_at) << "the child counted while frozen";

  ASSERT_THAT(manager_->Thaw(), IsOk());
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (counter->load() == frozen_at && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_GT(counter->load(), frozen_at) << "the child did not resume";
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  Wait(child);
  munmap(counter, sizeof(*counter));
}

TEST_F(V2RootTest, StatsMove) {
  const pid_t child = Start([] {
    const size_t size = 16 * kMiB;
    char* memory = static_cast<char*>(
        mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (memory == MAP_FAILED) return 2;
    for (size_t offset = 0; offset < size; offset += 4096) memory[offset] = 1;
    Spin(100'000'000);
    pause();
    return 0;
  });
  // Until the child has its memory and some CPU time, as every counter below
  // says: memory.stat and cpu.stat's user/system split lag behind
  // memory.current and usage_usec (the kernel flushes them in batches).
  absl::StatusOr<Stats> stats;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  do {
    absl::SleepFor(absl::Milliseconds(50));
    stats = manager_->GetStats();
    ASSERT_THAT(stats, IsOk());
  } while ((stats->memory().usage().usage() < 16 * kMiB ||
            !stats->memory().raw().contains("anon") ||
            stats->memory().raw().at("anon") < 16 * kMiB ||
            stats->cpu().usage().total() < 10'000'000 || stats->cpu().usage().user() < 1) &&
           absl::Now() < deadline);
  EXPECT_GE(stats->memory().usage().usage(), 16 * kMiB);
  EXPECT_GE(stats->memory().raw().at("anon"), 16 * kMiB);
  EXPECT_GE(stats->cpu().usage().total(), 10'000'000u);
  EXPECT_GE(stats->cpu().usage().user(), 1u);
  EXPECT_EQ(stats->pids().current(), 1u);
  EXPECT_THAT(manager_->Processes(), IsOkAndHolds(::testing::ElementsAre(child)));
}

TEST_F(V2RootTest, SignalReachesEveryProcess) {
  const pid_t first = Start([] {
    pause();
    return 0;
  });
  const pid_t second = Start([] {
    pause();
    return 0;
  });
  ASSERT_THAT(manager_->Signal(SIGTERM), IsOk());
  for (const pid_t pid : {first, second}) {
    const int status = Wait(pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  }
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
}

TEST_F(V2RootTest, DestroyRefusesALiveCgroupAndRemovesItOnceKilled) {
  const pid_t child = Start([] {
    pause();
    return 0;
  });
  EXPECT_THAT(manager_->Destroy(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                            HasSubstr("container's cgroup is not empty")));
  struct stat st;
  EXPECT_EQ(stat(directory_.c_str(), &st), 0);
  // cgroup.kill.
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  const int status = Wait(child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;

  // A later command's manager, restored from the persisted paths.
  std::unique_ptr<V2Manager> restored = NewManager(manager_->CreatedPaths().at(""));
  ASSERT_THAT(restored->Destroy(), IsOk());
  EXPECT_NE(stat(directory_.c_str(), &st), 0);
  EXPECT_NE(stat(parent_.c_str(), &st), 0);
  // Nothing left for TearDown.
  manager_.reset();
}

}  // namespace
}  // namespace hull::cgroups
