// MemoryEvents on this host's real cgroup v1 memory controller: a child that
// allocates past the limit is OOM-killed and the OOM event arrives; pressure
// events come while it reclaims; removing the cgroup ends the stream. Each
// test makes its own /sys/fs/cgroup/memory/hull-test-<pid>-<n>, kills its
// children and removes the cgroup, whatever happens.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/memory_events.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/test_cgroup.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::hull::testing::TestCgroup;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kMemoryRoot[] = "/sys/fs/cgroup/memory";
constexpr size_t kMiB = 1 << 20;

// Touches `mib` MiB page by page, then exits 0 (unless killed first).
int Allocate(size_t mib) {
  const size_t size = mib * kMiB;
  char* memory = static_cast<char*>(
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (memory == MAP_FAILED) return 2;
  for (size_t offset = 0; offset < size; offset += 4096) memory[offset] = 1;
  return 0;
}

class MemoryEventsV1RootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    struct stat st;
    ASSERT_EQ(stat(absl::StrCat(kMemoryRoot, "/cgroup.event_control").c_str(), &st), 0)
        << "no cgroup v1 memory controller at " << kMemoryRoot
        << ": this test needs a v1 or hybrid host";
    static int counter = 0;
    dir_ = absl::StrCat(kMemoryRoot, "/hull-test-", getpid(), "-", ++counter);
    absl::StatusOr<std::unique_ptr<TestCgroup>> cgroup = TestCgroup::Create(dir_);
    ASSERT_THAT(cgroup, IsOk());
    cgroup_ = *std::move(cgroup);
    ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.limit_in_bytes", "33554432"), IsOk());
    if (fs_.Exists(dir_ + "/memory.memsw.limit_in_bytes")) {
      ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.memsw.limit_in_bytes", "33554432"), IsOk());
    }
  }

  void TearDown() override { cgroup_.reset(); }

  // Forks a child that runs `body` once it is in the cgroup.
  pid_t Start(int (*body)(size_t), size_t mib) {
    return cgroup_->Start([body, mib] { return body(mib); });
  }

  int Wait(pid_t pid) { return cgroup_->Wait(pid); }

  // Polls `events` and reads until an event of `kind` arrives, the stream
  // ends or `timeout` passes; returns every event read.
  std::vector<MemoryEvent> ReadUntil(MemoryEvents& events, MemoryEvent::Kind kind,
                                     absl::Duration timeout) {
    std::vector<MemoryEvent> seen;
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      struct pollfd poll_fd = {.fd = events.fd(), .events = POLLIN, .revents = 0};
      const int ready =
          poll(&poll_fd, 1, static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now())));
      if (ready <= 0) continue;
      absl::StatusOr<std::vector<MemoryEvent>> read = events.Read();
      if (!read.ok()) {
        ADD_FAILURE() << read.status();
        break;
      }
      seen.insert(seen.end(), read->begin(), read->end());
      for (const MemoryEvent& event : *read) {
        if (event.kind == kind) return seen;
      }
    }
    return seen;
  }

  static bool Has(const std::vector<MemoryEvent>& events, MemoryEvent::Kind kind) {
    for (const MemoryEvent& event : events) {
      if (event.kind == kind) return true;
    }
    return false;
  }

  LinuxCgroupFs fs_;
  std::string dir_;
  std::unique_ptr<TestCgroup> cgroup_;
};

TEST_F(MemoryEventsV1RootTest, AnOomKilledChildIsAnOomEvent) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV1(dir_);
  ASSERT_THAT(events, IsOk());
  const pid_t hog = Start(Allocate, 256);
  ASSERT_GT(hog, 0);

  const std::vector<MemoryEvent> seen =
      ReadUntil(*events, MemoryEvent::Kind::kOom, absl::Seconds(30));
  EXPECT_TRUE(Has(seen, MemoryEvent::Kind::kOom)) << "no OOM event within 30 s";
  const int status = Wait(hog);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the hog was not OOM-killed: wait status " << status;
  // The kernel's own account agrees.
  absl::StatusOr<std::string> oom_control = fs_.ReadFile(dir_ + "/memory.oom_control");
  ASSERT_THAT(oom_control, IsOk());
  EXPECT_THAT(*oom_control, ::testing::Not(HasSubstr("oom_kill 0")));
}

TEST_F(MemoryEventsV1RootTest, AChildWithinItsLimitIsNoEvent) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV1(dir_, {.pressure = true});
  ASSERT_THAT(events, IsOk());
  const pid_t child = Start(Allocate, 4);
  ASSERT_GT(child, 0);
  const int status = Wait(child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  struct pollfd poll_fd = {.fd = events->fd(), .events = POLLIN, .revents = 0};
  EXPECT_EQ(poll(&poll_fd, 1, 500), 0) << "an event without any memory shortage";
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
}

TEST_F(MemoryEventsV1RootTest, ReclaimUnderTheLimitIsAPressureEvent) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV1(dir_, {.oom = false, .pressure = true});
  ASSERT_THAT(events, IsOk());
  const pid_t hog = Start(Allocate, 256);
  ASSERT_GT(hog, 0);
  const std::vector<MemoryEvent> seen =
      ReadUntil(*events, MemoryEvent::Kind::kPressure, absl::Seconds(30));
  EXPECT_TRUE(Has(seen, MemoryEvent::Kind::kPressure)) << "no pressure event within 30 s";
  EXPECT_FALSE(Has(seen, MemoryEvent::Kind::kOom)) << "OOM events were not asked for";
}

TEST_F(MemoryEventsV1RootTest, RemovingTheCgroupEndsTheStream) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV1(dir_, {.pressure = true});
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(fs_.RemoveDirectory(dir_), IsOk());

  // The kernel signals the eventfds of a removed cgroup from a worker: wait.
  struct pollfd poll_fd = {.fd = events->fd(), .events = POLLIN, .revents = 0};
  ASSERT_EQ(poll(&poll_fd, 1, 10000), 1) << "no wakeup within 10 s of the removal";
  EXPECT_THAT(events->Read(),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_ + ": the cgroup is gone")));
}

TEST_F(MemoryEventsV1RootTest, NoMemoryCgroupIsNotFound) {
  EXPECT_THAT(
      MemoryEvents::ForV1(dir_ + "/missing"),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/missing/memory.oom_control")));
}

}  // namespace
}  // namespace hull::cgroups
