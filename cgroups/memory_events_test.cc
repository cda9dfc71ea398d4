// The parsing and counting behind MemoryEvents, and the v2 notifier on a fake
// cgroup directory (regular files: inotify sees their changes as it sees a
// cgroup's). The kernel side is proven by the root tests.
#include "cgroups/memory_events.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

MemoryEvent Oom(uint64_t count) { return {.kind = MemoryEvent::Kind::kOom, .count = count}; }

MemoryEvent Pressure(PressureLevel level, uint64_t count = 1) {
  return {.kind = MemoryEvent::Kind::kPressure, .level = level, .count = count};
}

TEST(OomKillCountTest, ReadsTheOomKillCounter) {
  EXPECT_THAT(OomKillCount("low 0\nhigh 7\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n"),
              IsOkAndHolds(1u));
}

TEST(OomKillCountTest, FallsBackToOomOnKernelsWithoutOomKill) {
  EXPECT_THAT(OomKillCount("low 0\nhigh 0\nmax 4\noom 2\n"), IsOkAndHolds(2u));
}

TEST(OomKillCountTest, RefusesATextWithoutCounter) {
  EXPECT_THAT(OomKillCount("low 0\nhigh 0\n"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("no \"oom_kill\"")));
  EXPECT_THAT(OomKillCount("oom_kill many\n"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("memory.events")));
}

TEST(IsPopulatedTest, ReadsPopulated) {
  EXPECT_THAT(IsPopulated("populated 1\nfrozen 0\n"), IsOkAndHolds(true));
  EXPECT_THAT(IsPopulated("populated 0\nfrozen 1\n"), IsOkAndHolds(false));
  EXPECT_THAT(IsPopulated("frozen 0\n"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("cgroup.events")));
}

TEST(PressureEventsFromCountsTest, EachLevelCountsOnlyItsOwnEvents) {
  // One low, two medium and one critical event: low's eventfd saw all four,
  // medium's the three medium-or-worse ones.
  EXPECT_THAT(PressureEventsFromCounts(4, 3, 1),
              ElementsAre(Pressure(PressureLevel::kLow, 1), Pressure(PressureLevel::kMedium, 2),
                          Pressure(PressureLevel::kCritical, 1)));
  EXPECT_THAT(PressureEventsFromCounts(2, 2, 2),
              ElementsAre(Pressure(PressureLevel::kCritical, 2)));
  EXPECT_THAT(PressureEventsFromCounts(0, 0, 0), IsEmpty());
}

TEST(PressureEventsFromCountsTest, AMildCountLaggingBehindIsNoNegativeCount) {
  EXPECT_THAT(PressureEventsFromCounts(0, 1, 1),
              ElementsAre(Pressure(PressureLevel::kCritical, 1)));
}

TEST(PressureLevelNameTest, NamesAsMemoryPressureLevelDoes) {
  EXPECT_EQ(PressureLevelName(PressureLevel::kLow), "low");
  EXPECT_EQ(PressureLevelName(PressureLevel::kMedium), "medium");
  EXPECT_EQ(PressureLevelName(PressureLevel::kCritical), "critical");
}

// A cgroup v2 directory made of regular files.
class FakeV2CgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    ASSERT_NE(tmp, nullptr) << "TEST_TMPDIR is not set";
    static int counter = 0;
    dir_ = absl::StrCat(tmp, "/cgroup-", ++counter);
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0) << strerror(errno);
    WriteEvents(/*oom_kill=*/0);
    WritePopulated(true);
  }

  // Rewrites in place, as the kernel changes a control file (a watch
  // follows the inode).
  void Write(const std::string& file, const std::string& text) {
    const std::string path = dir_ + "/" + file;
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0) << path << ": " << strerror(errno);
    ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
  }
  void WriteEvents(uint64_t oom_kill, uint64_t max = 0) {
    Write("memory.events", absl::StrCat("low 0\nhigh 0\nmax ", max, "\noom ", oom_kill,
                                        "\noom_kill ", oom_kill, "\noom_group_kill 0\n"));
  }
  void WritePopulated(bool populated) {
    Write("cgroup.events", absl::StrCat("populated ", populated ? 1 : 0, "\nfrozen 0\n"));
  }

  static bool Readable(const MemoryEvents& events, int timeout_ms) {
    struct pollfd poll_fd = {.fd = events.fd(), .events = POLLIN, .revents = 0};
    return poll(&poll_fd, 1, timeout_ms) == 1;
  }

  std::string dir_;
};

TEST_F(FakeV2CgroupTest, NothingHappenedReadsNothing) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  EXPECT_FALSE(Readable(*events, 0));
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
}

TEST_F(FakeV2CgroupTest, AnOomKillIncreaseIsAnOomEvent) {
  WriteEvents(/*oom_kill=*/3);  // before: not an event
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());

  WriteEvents(/*oom_kill=*/5);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), IsOkAndHolds(ElementsAre(Oom(2))));
  EXPECT_FALSE(Readable(*events, 0)) << "drained";
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
}

TEST_F(FakeV2CgroupTest, OtherCountersMovingAreNoEvent) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  WriteEvents(/*oom_kill=*/0, /*max=*/12);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
}

TEST_F(FakeV2CgroupTest, WithoutOomOptionOomKillsAreNotReported) {
  absl::StatusOr<MemoryEvents> events =
      MemoryEvents::ForV2(dir_, {.oom = false, .pressure = true, .psi_triggers = {}});
  ASSERT_THAT(events, IsOk());
  WriteEvents(/*oom_kill=*/1);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
}

TEST_F(FakeV2CgroupTest, TheLastProcessLeavingEndsTheStreamAfterItsOom) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  // The kernel may tell cgroup.events first: the OOM still comes first.
  WritePopulated(false);
  WriteEvents(/*oom_kill=*/1);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), IsOkAndHolds(ElementsAre(Oom(1))));
  EXPECT_THAT(events->Read(),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_ + ": the cgroup is gone")));
  EXPECT_THAT(events->Read(), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_)));
}

TEST_F(FakeV2CgroupTest, AnEmptyCgroupGettingItsFirstProcessGoesOn) {
  WritePopulated(false);
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  WritePopulated(true);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), IsOkAndHolds(IsEmpty()));
  WritePopulated(false);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_)));
}

TEST_F(FakeV2CgroupTest, AProcessComingAndGoingBetweenReadsEndsTheStream) {
  WritePopulated(false);
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  WritePopulated(true);
  WritePopulated(false);
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr(dir_)));
}

TEST_F(FakeV2CgroupTest, AMovedNotifierKeepsWorking) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  const int fd = events->fd();
  MemoryEvents moved = *std::move(events);
  EXPECT_EQ(moved.fd(), fd);
  WriteEvents(/*oom_kill=*/1);
  ASSERT_TRUE(Readable(moved, 5000));
  EXPECT_THAT(moved.Read(), IsOkAndHolds(ElementsAre(Oom(1))));
}

TEST_F(FakeV2CgroupTest, AMalformedMemoryEventsIsAnError) {
  absl::StatusOr<MemoryEvents> events = MemoryEvents::ForV2(dir_);
  ASSERT_THAT(events, IsOk());
  Write("memory.events", "oom_kill lots\n");
  ASSERT_TRUE(Readable(*events, 5000));
  EXPECT_THAT(events->Read(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("memory.events")));
}

TEST_F(FakeV2CgroupTest, NoMemoryControllerIsNotFoundNamingTheFile) {
  ASSERT_EQ(unlink((dir_ + "/memory.events").c_str()), 0);
  EXPECT_THAT(MemoryEvents::ForV2(dir_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/memory.events")));
}

TEST_F(FakeV2CgroupTest, PressureWithoutPsiIsUnimplemented) {
  EXPECT_THAT(MemoryEvents::ForV2(dir_, {.pressure = true}),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr(dir_ + "/memory.pressure")));
}

TEST_F(FakeV2CgroupTest, AskingForNothingIsRefused) {
  EXPECT_THAT(MemoryEvents::ForV2(dir_, {.oom = false}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("neither OOM nor pressure")));
  EXPECT_THAT(MemoryEvents::ForV1(dir_, {.oom = false}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("neither OOM nor pressure")));
}

TEST_F(FakeV2CgroupTest, ForPathsTakesTheV1MemoryDirectoryFirst) {
  // Hybrid: both are there; the v1 memory controller is the one with limits.
  EXPECT_THAT(
      MemoryEvents::ForPaths({{"memory", dir_ + "/v1-memory"}, {"", dir_}}),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/v1-memory/memory.oom_control")));
  EXPECT_THAT(MemoryEvents::ForPaths({{"", dir_}, {"pids", "/nowhere"}}), IsOk());
  EXPECT_THAT(MemoryEvents::ForPaths({{"pids", "/nowhere"}}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no memory cgroup")));
}

}  // namespace
}  // namespace hull::cgroups
