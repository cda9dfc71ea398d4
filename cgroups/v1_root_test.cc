// V1Manager on this host's real cgroup v1 hierarchies (root, local,
// exclusive): every limit is observed from a forked child put into the
// container's cgroups the way the runtime does it (cgroup.procs written
// before the child is released). Each test works in its own cgroup
// "/hull-test-<pid>-<n>/ctr" and removes it, killing its own children
// first, even when it fails; no other cgroup is touched.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/status_util.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_rules.h"
#include "cgroups/factory.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Gt;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kMiB = 1 << 20;

// A forked child that waits for the parent's go-ahead before running its
// body; the body's result is its exit status, and it can report values on
// `report`.
struct Child {
  pid_t pid = -1;
  UniqueFd go;      // parent's end: one byte releases the child
  UniqueFd report;  // parent's end: what the child writes
};

absl::StatusOr<Child> ForkWaiting(const std::function<int(int report_fd)>& body) {
  int go[2], report[2];
  if (pipe2(go, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  if (pipe2(report, O_CLOEXEC) != 0) {
    close(go[0]);
    close(go[1]);
    return ErrnoStatus("pipe2");
  }
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    close(go[1]);
    close(report[0]);
    char byte;
    if (read(go[0], &byte, 1) != 1) _exit(126);
    _exit(body(report[1]));
  }
  close(go[0]);
  close(report[1]);
  return Child{.pid = pid, .go = UniqueFd(go[1]), .report = UniqueFd(report[0])};
}

// Reads one int64 the child reported, waiting at most `timeout`.
absl::StatusOr<int64_t> ReadReport(int fd, absl::Duration timeout = absl::Seconds(30)) {
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  const int ready = poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready < 0) return ErrnoStatus("poll");
  if (ready == 0) return absl::DeadlineExceededError("the child reported nothing");
  int64_t value;
  const ssize_t n = read(fd, &value, sizeof(value));
  if (n != sizeof(value)) return absl::DataLossError("short report from the child");
  return value;
}

void Report(int fd, int64_t value) {
  if (write(fd, &value, sizeof(value)) != sizeof(value)) _exit(125);
}

// CPU time the calling process has used.
absl::Duration ProcessCpuTime() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return absl::DurationFromTimespec(ts);
}

class V1RootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orphaned grandchildren come back to this process, which reaps them.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0) << strerror(errno);
    absl::StatusOr<Layout> layout = DetectLayout();
    ASSERT_THAT(layout, IsOk());
    ASSERT_NE(layout->mode, CgroupMode::kV2)
        << "this test needs cgroup v1 controllers (a v1 or hybrid host); cgroup v2 is tested "
           "in the VM";
    layout_ = *layout;
    static int counter = 0;
    parent_ = absl::StrCat("/hull-test-", getpid(), "-", counter++);
    absl::StatusOr<std::unique_ptr<Manager>> manager =
        NewManager(layout_, parent_ + "/ctr", "unused");
    ASSERT_THAT(manager, IsOk());
    manager_ = *std::move(manager);
    paths_ = manager_->Paths();
    ASSERT_THAT(manager_->Create(), IsOk());
  }

  void TearDown() override {
    if (manager_ == nullptr) return;
    // Kill everything this test put in its cgroup, and reap it.
    for (int attempt = 0; attempt < 100; ++attempt) {
      absl::StatusOr<std::vector<pid_t>> pids = manager_->Processes();
      if (!pids.ok() || pids->empty()) break;  // NotFound: destroyed already
      manager_->Signal(SIGKILL).IgnoreError();
      for (pid_t child : children_) kill(child, SIGKILL);
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    for (pid_t child : children_) waitpid(child, nullptr, 0);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    EXPECT_THAT(manager_->Destroy(), IsOk());
    // Whatever a failed Destroy left of this test's own cgroups.
    for (const auto& [key, path] : paths_) {
      if (!absl::StrContains(path, parent_)) continue;
      rmdir(path.c_str());
      rmdir(path.substr(0, path.rfind('/')).c_str());
    }
    for (const auto& [key, path] : paths_) {
      struct stat st;
      EXPECT_NE(stat(path.substr(0, path.rfind('/')).c_str(), &st), 0)
          << "left behind: " << path;
    }
  }

  // Forks `body`, puts the child into the container's cgroups, then
  // releases it.
  absl::StatusOr<Child> Start(const std::function<int(int report_fd)>& body) {
    absl::StatusOr<Child> child = ForkWaiting(body);
    if (!child.ok()) return child.status();
    children_.push_back(child->pid);
    absl::Status added = manager_->AddProcess(child->pid);
    if (!added.ok()) return added;
    if (write(child->go.get(), "g", 1) != 1) return ErrnoStatus("release the child");
    return child;
  }

  // The child's wait status, waiting at most `timeout`.
  absl::StatusOr<int> Wait(pid_t pid, absl::Duration timeout = absl::Seconds(60)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      int status;
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) return status;
      if (done < 0) return ErrnoStatus("waitpid");
      absl::SleepFor(absl::Milliseconds(10));
    }
    return absl::DeadlineExceededError(absl::StrCat("child ", pid, " still running"));
  }

  absl::StatusOr<std::string> ReadControl(const std::string& key, const std::string& file) {
    return LinuxCgroupFs().ReadFile(absl::StrCat(paths_.at(key), "/", file));
  }

  Layout layout_;
  std::string parent_;
  std::unique_ptr<Manager> manager_;
  std::map<std::string, std::string> paths_;
  std::vector<pid_t> children_;
};

TEST_F(V1RootTest, MemoryHogIsOomKilled) {
  config::Resources resources;
  resources.mutable_memory()->set_limit(32 * kMiB);
  resources.mutable_memory()->set_swap(32 * kMiB);  // memory+swap: no swapping either
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  EXPECT_THAT(ReadControl("memory", "memory.limit_in_bytes"), IsOkAndHolds("33554432\n"));

  absl::StatusOr<Child> hog = Start([](int) {
    for (int i = 0; i < 256; ++i) {
      char* chunk = static_cast<char*>(malloc(kMiB));
      if (chunk == nullptr) return 2;
      memset(chunk, 1, kMiB);
    }
    return 0;  // survived 256 MiB: the limit did not hold
  });
  ASSERT_THAT(hog, IsOk());
  absl::StatusOr<int> status = Wait(hog->pid);
  ASSERT_THAT(status, IsOk());
  ASSERT_TRUE(WIFSIGNALED(*status)) << "exit status " << WEXITSTATUS(*status);
  EXPECT_EQ(WTERMSIG(*status), SIGKILL);

  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  // The stats are the files' (this kernel's v1 memory.failcnt stays 0 when
  // the OOM killer resolves the charge; oom_kill counts the kill).
  EXPECT_THAT(ReadControl("memory", "memory.failcnt"),
              IsOkAndHolds(absl::StrCat(stats->memory().usage().failcnt(), "\n")));
  EXPECT_EQ(stats->memory().usage().limit(), static_cast<uint64_t>(32 * kMiB));
  EXPECT_GE(stats->memory().usage().max(), static_cast<uint64_t>(30 * kMiB));
  absl::StatusOr<std::string> oom = ReadControl("memory", "memory.oom_control");
  ASSERT_THAT(oom, IsOk());
  EXPECT_THAT(*oom, HasSubstr("oom_kill 1"));
}

TEST_F(V1RootTest, ForkLoopStopsAtPidsMax) {
  config::Resources resources;
  resources.mutable_pids()->set_limit(8);
  ASSERT_THAT(manager_->Apply(resources), IsOk());

  absl::StatusOr<Child> forker = Start([](int report) {
    int64_t forked = 0;
    for (;;) {
      const pid_t pid = fork();
      if (pid == 0) {
        pause();
        _exit(0);
      }
      if (pid < 0) {
        Report(report, forked);
        Report(report, errno);
        pause();  // stays, so that the cgroup is full while the parent looks
        return 0;
      }
      if (++forked > 1000) {
        Report(report, forked);
        Report(report, 0);
        return 1;
      }
    }
  });
  ASSERT_THAT(forker, IsOk());
  EXPECT_THAT(ReadReport(forker->report.get()), IsOkAndHolds(7));  // 8 with the forker
  EXPECT_THAT(ReadReport(forker->report.get()), IsOkAndHolds(EAGAIN));

  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->pids().current(), 8u);
  EXPECT_EQ(stats->pids().limit(), 8u);
  EXPECT_THAT(manager_->Processes(), IsOkAndHolds(::testing::SizeIs(8)));

  // One SIGKILL to the cgroup ends all of them.
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  absl::StatusOr<int> status = Wait(forker->pid);
  ASSERT_THAT(status, IsOk());
  EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::StatusOr<std::vector<pid_t>> left = manager_->Processes();
  while (left.ok() && !left->empty() && absl::Now() < deadline) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    absl::SleepFor(absl::Milliseconds(10));
    left = manager_->Processes();
  }
  EXPECT_THAT(left, IsOkAndHolds(IsEmpty()));
}

TEST_F(V1RootTest, CpuQuotaThrottles) {
  config::Resources resources;
  resources.mutable_cpu()->set_quota(10000);    // 10 ms
  resources.mutable_cpu()->set_period(100000);  // per 100 ms
  ASSERT_THAT(manager_->Apply(resources), IsOk());

  absl::StatusOr<Child> spinner = Start([](int report) {
    const absl::Time end = absl::Now() + absl::Milliseconds(600);
    while (absl::Now() < end) {
    }
    Report(report, absl::ToInt64Milliseconds(ProcessCpuTime()));
    return 0;
  });
  ASSERT_THAT(spinner, IsOk());
  absl::StatusOr<int64_t> cpu_ms = ReadReport(spinner->report.get());
  ASSERT_THAT(cpu_ms, IsOk());
  // 10% of 600 ms, give or take a period.
  EXPECT_LT(*cpu_ms, 250) << "the quota did not throttle the spinning child";
  EXPECT_GT(*cpu_ms, 5) << "the child did not spin";
  ASSERT_THAT(Wait(spinner->pid), IsOk());

  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_GT(stats->cpu().throttling().periods(), 0u);
  EXPECT_GT(stats->cpu().throttling().throttled_periods(), 0u);
  EXPECT_GT(stats->cpu().throttling().throttled_time(), 0u);
}

TEST_F(V1RootTest, DeniedDeviceCannotBeOpened) {
  config::Resources resources;
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) *resources.add_devices() = rule;
  config::DeviceCgroup& deny = *resources.add_devices();
  deny.set_allow(false);
  deny.set_type("c");
  deny.set_major(1);
  deny.set_minor(3);
  deny.set_access("rwm");
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  absl::StatusOr<std::string> list = ReadControl("devices", "devices.list");
  ASSERT_THAT(list, IsOk());
  EXPECT_THAT(*list, Not(HasSubstr("c 1:3 ")));
  EXPECT_THAT(*list, HasSubstr("c 1:5 rwm"));

  absl::StatusOr<Child> opener = Start([](int report) {
    const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    Report(report, null_fd < 0 ? errno : 0);
    const int zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    Report(report, zero_fd < 0 ? errno : 0);
    return 0;
  });
  ASSERT_THAT(opener, IsOk());
  EXPECT_THAT(ReadReport(opener->report.get()), IsOkAndHolds(EPERM));  // /dev/null: denied
  EXPECT_THAT(ReadReport(opener->report.get()), IsOkAndHolds(0));      // /dev/zero: allowed
  ASSERT_THAT(Wait(opener->pid), IsOk());
}

TEST_F(V1RootTest, FreezeStopsACountingChild) {
  auto* counter = static_cast<std::atomic<uint64_t>*>(
      mmap(nullptr, sizeof(std::atomic<uint64_t>), PROT_READ | PROT_WRITE,
           MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(counter, MAP_FAILED);
  counter->store(0);
  absl::StatusOr<Child> counting = Start([counter](int) {
    for (;;) counter->fetch_add(1);
    return 0;
  });
  ASSERT_THAT(counting, IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (counter->load() == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_GT(counter->load(), 0u);

  ASSERT_THAT(manager_->Freeze(), IsOk());
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(true));
  EXPECT_THAT(ReadControl("freezer", "freezer.state"), IsOkAndHolds("FROZEN\n"));
  const uint64_t frozen_at = counter->load();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(counter->load(), frozen_at) << "the child counted while frozen";

  ASSERT_THAT(manager_->Thaw(), IsOk());
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_GT(counter->load(), frozen_at) << "the child did not resume";
  munmap(counter, sizeof(std::atomic<uint64_t>));
}

TEST_F(V1RootTest, StatsMoveAndDestroyWaitsForTheLastProcess) {
  absl::StatusOr<Stats> before = manager_->GetStats();
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->pids().current(), 0u);

  absl::StatusOr<Child> worker = Start([](int report) {
    char* block = static_cast<char*>(malloc(16 * kMiB));
    memset(block, 7, 16 * kMiB);
    const absl::Time end = absl::Now() + absl::Milliseconds(100);
    while (absl::Now() < end) {
    }
    Report(report, block[100]);
    pause();
    return 0;
  });
  ASSERT_THAT(worker, IsOk());
  ASSERT_THAT(ReadReport(worker->report.get()), IsOkAndHolds(7));

  EXPECT_THAT(manager_->Processes(), IsOkAndHolds(ElementsAre(worker->pid)));
  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_GT(stats->cpu().usage().total(), before->cpu().usage().total());
  EXPECT_EQ(stats->cpu().usage().percpu_size(), sysconf(_SC_NPROCESSORS_CONF));
  EXPECT_GT(stats->cpu().usage().user() + stats->cpu().usage().kernel(), 0u);
  EXPECT_GE(stats->memory().usage().usage(), static_cast<uint64_t>(16 * kMiB));
  EXPECT_GT(stats->memory().raw().at("rss"), 0u);
  EXPECT_EQ(stats->pids().current(), 1u);
  EXPECT_THAT(stats->cpuset().cpus(), Not(IsEmpty()));

  // The child is in every hierarchy, the cgroup2 one of a hybrid host too.
  absl::StatusOr<std::string> own =
      LinuxCgroupFs().ReadFile(absl::StrCat("/proc/", worker->pid, "/cgroup"));
  ASSERT_THAT(own, IsOk());
  for (absl::string_view line : absl::StrSplit(*own, '\n', absl::SkipEmpty())) {
    EXPECT_THAT(line, HasSubstr(parent_ + "/ctr")) << *own;
  }
  if (layout_.mode == CgroupMode::kHybrid) {
    EXPECT_THAT(*own, HasSubstr("0::" + parent_ + "/ctr"));
  }

  EXPECT_THAT(manager_->Destroy(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                            HasSubstr("container's cgroup is not empty")));

  for (const auto& [key, path] : paths_) {
    struct stat st;
    EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  }
  kill(worker->pid, SIGKILL);
  ASSERT_THAT(Wait(worker->pid), IsOk());
  ASSERT_THAT(manager_->Destroy(), IsOk());
  for (const auto& [key, path] : paths_) {
    struct stat st;
    EXPECT_NE(stat(path.c_str(), &st), 0) << "still there: " << path;
    EXPECT_NE(stat(path.substr(0, path.rfind('/')).c_str(), &st), 0)
        << "the parent Create made is still there: " << path;
  }
}

}  // namespace
}  // namespace hull::cgroups
