// MemoryEvents on a real cgroup v2 kernel: a child that allocates past
// memory.max is OOM-killed and the OOM event arrives from memory.events; its
// cgroup emptying ends the stream; a PSI trigger fires under memory.high
// throttling; a removed cgroup ends the stream. Needs root on a cgroup v2
// host, so it runs in the VM (:memory_events_vm_test, testing/vm); anywhere
// else it fails, saying so. Each test makes its own
// /sys/fs/cgroup/hull-test-<pid>-<n>, kills its children and removes it.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
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
#include "cgroups/layout.h"
#include "cgroups/memory_events.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/test_cgroup.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::hull::testing::TestCgroup;
using ::testing::HasSubstr;

constexpr size_t kMiB = 1 << 20;

// Touches `mib` MiB page by page, over and over (a throttled child keeps
// stalling), or once when `forever` is false.
int Allocate(size_t mib, bool forever) {
  const size_t size = mib * kMiB;
  char* memory = static_cast<char*>(
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (memory == MAP_FAILED) return 2;
  do {
    for (size_t offset = 0; offset < size; offset += 4096) memory[offset] += 1;
    // Give the pages back, so that the next round faults them in again.
    if (forever) madvise(memory, size, MADV_DONTNEED);
  } while (forever);
  return 0;
}

class MemoryEventsV2RootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::StatusOr<Layout> layout = DetectLayout();
    ASSERT_THAT(layout, IsOk());
    ASSERT_EQ(layout->mode, CgroupMode::kV2) << "not a cgroup v2 host: this test runs in the VM "
                                                "(bazel test //cgroups:memory_events_vm_test)";
    const std::string root = layout->unified->mount_point;
    ASSERT_THAT(fs_.WriteFile(root + "/cgroup.subtree_control", "+memory"), IsOk());
    static int counter = 0;
    dir_ = absl::StrCat(root, "/hull-test-", getpid(), "-", ++counter);
    absl::StatusOr<std::unique_ptr<TestCgroup>> cgroup = TestCgroup::Create(dir_);
    ASSERT_THAT(cgroup, IsOk());
    cgroup_ = *std::move(cgroup);
    if (fs_.Exists(dir_ + "/memory.swap.max")) {
      ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.swap.max", "0"), IsOk());
    }
  }

  void TearDown() override { cgroup_.reset(); }

  // Forks a child that allocates once it is in the cgroup.
  pid_t Start(size_t mib, bool forever) {
    return cgroup_->Start([mib, forever] { return Allocate(mib, forever); });
  }

  int Wait(pid_t pid) { return cgroup_->Wait(pid); }

  // Polls `events` and reads until an event of `kind` arrives or `timeout`
  // passes; the events read, and the status that ended the stream if it did.
  struct Seen {
    std::vector<MemoryEvent> events;
    absl::Status end;

    bool Has(MemoryEvent::Kind kind) const {
      for (const MemoryEvent& event : events) {
        if (event.kind == kind) return true;
      }
      return false;
    }
  };
  Seen ReadUntil(MemoryEvents& events, MemoryEvent::Kind kind, absl::Duration timeout) {
    Seen seen;
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline && !seen.Has(kind)) {
      struct pollfd poll_fd = {.fd = events.fd(), .events = POLLIN, .revents = 0};
      const int ready =
          poll(&poll_fd, 1, static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now())));
      if (ready <= 0) continue;
      absl::StatusOr<std::vector<MemoryEvent>> read = events.Read();
      if (!read.ok()) {
        seen.end = read.status();
        break;
      }
      seen.events.insert(seen.events.end(), read->begin(), read->end());
    }
    return seen;
  }

  LinuxCgroupFs fs_;
  std::string dir_;
  std::unique_ptr<TestCgroup> cgroup_;
};

TEST_F(MemoryEventsV2RootTest, AnOomKilledChildIsAnOomEventThenTheStreamEnds) {
  ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.max", "33554432"), IsOk());
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  const pid_t hog = Start(256, /*forever=*/false);
  ASSERT_GT(hog, 0);

  const Seen oom = ReadUntil(*events, MemoryEvent::Kind::kOom, absl::Seconds(60));
  EXPECT_TRUE(oom.Has(MemoryEvent::Kind::kOom)) << "no OOM event within 60 s; end: " << oom.end;
  const int status = Wait(hog);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the hog was not OOM-killed: wait status " << status;

  // Its only process gone, the cgroup is empty: the stream ends.
  const Seen after = ReadUntil(*events, MemoryEvent::Kind::kOom, absl::Seconds(10));
  EXPECT_THAT(after.end,
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_ + ": the cgroup is gone")));
}

TEST_F(MemoryEventsV2RootTest, MemoryHighThrottlingFiresThePsiTrigger) {
  // Over memory.high the kernel reclaims and throttles instead of killing:
  // the child stalls on memory most of the time.
  ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.high", "16777216"), IsOk());
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_, {.oom = true, .pressure = true});
  ASSERT_THAT(events, IsOk());
  const pid_t hog = Start(64, /*forever=*/true);
  ASSERT_GT(hog, 0);

  const Seen seen = ReadUntil(*events, MemoryEvent::Kind::kPressure, absl::Seconds(60));
  EXPECT_TRUE(seen.Has(MemoryEvent::Kind::kPressure))
      << "no pressure event within 60 s; end: " << seen.end;
  EXPECT_FALSE(seen.Has(MemoryEvent::Kind::kOom)) << "memory.high does not OOM-kill";
}

TEST_F(MemoryEventsV2RootTest, AChildWithinItsLimitIsNoEvent) {
  ASSERT_THAT(fs_.WriteFile(dir_ + "/memory.max", "33554432"), IsOk());
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_, {.pressure = true});
  ASSERT_THAT(events, IsOk());
  struct pollfd poll_fd = {.fd = events->fd(), .events = POLLIN, .revents = 0};
  EXPECT_EQ(poll(&poll_fd, 1, 500), 0) << "an event in an idle cgroup";
  const pid_t child = Start(4, /*forever=*/false);
  ASSERT_GT(child, 0);
  const int status = Wait(child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // It left the cgroup empty: the end, and no event before it.
  const Seen seen = ReadUntil(*events, MemoryEvent::Kind::kOom, absl::Seconds(10));
  EXPECT_THAT(seen.events, ::testing::IsEmpty());
  EXPECT_THAT(seen.end, StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_)));
}

TEST_F(MemoryEventsV2RootTest, ARemovedCgroupEndsTheStream) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  ASSERT_THAT(fs_.RemoveDirectory(dir_), IsOk());
  // The kernel tells no one about a v2 removal: Read finds it out.
  EXPECT_THAT(events->Read(),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_ + ": the cgroup is gone")));
}

}  // namespace
}  // namespace hull::cgroups
