#include "base/cpu_progress.h"

#include <unistd.h>

#include <cstdint>
#include <map>
#include <ctime>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::Gt;

// Gives each pid's CPU times of `times` in turn.
class FakeCpuTimes {
 public:
  explicit FakeCpuTimes(std::map<pid_t, std::vector<absl::StatusOr<uint64_t>>> times)
      : times_(std::move(times)) {}

  CpuProgress::CpuTimeReader Reader() {
    return [this](pid_t pid) -> absl::StatusOr<uint64_t> {
      std::vector<absl::StatusOr<uint64_t>>& left = times_[pid];
      if (left.empty()) return absl::InternalError(absl::StrCat("no more samples of ", pid));
      absl::StatusOr<uint64_t> time = left.front();
      left.erase(left.begin());
      return time;
    };
  }

 private:
  std::map<pid_t, std::vector<absl::StatusOr<uint64_t>>> times_;
};

TEST(CpuProgressTest, StalledAfterTheQuietSamplesOnly) {
  FakeCpuTimes times({{42, {5, 5, 5, 5}}});
  CpuProgress progress(42, 3, times.Reader());
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));  // the first: where it starts
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(true));
}

TEST(CpuProgressTest, AProcessThatKeepsUsingCpuIsNeverStalled) {
  // Slow: one tick now and then, never three samples apart.
  FakeCpuTimes times({{42, {5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8}}});
  CpuProgress progress(42, 3, times.Reader());
  for (int sample = 0; sample < 12; ++sample) {
    EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false)) << "sample " << sample;
  }
}

TEST(CpuProgressTest, GrowthStartsTheQuietCountAfresh) {
  FakeCpuTimes times({{42, {5, 5, 5, 9, 9, 9, 9}}});
  CpuProgress progress(42, 3, times.Reader());
  for (int sample = 0; sample < 6; ++sample) {
    EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false)) << "sample " << sample;
  }
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(true));
}

TEST(CpuProgressTest, WatchingAnotherProcessStartsAfresh) {
  // The child has used less CPU than its parent: no growth, but its first
  // sample is where it starts.
  FakeCpuTimes times({{42, {5, 5, 5}}, {43, {1, 1, 1, 1}}});
  CpuProgress progress(42, 3, times.Reader());
  for (int sample = 0; sample < 3; ++sample) EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  progress.Watch(43);
  for (int sample = 0; sample < 3; ++sample) EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(true));
}

TEST(CpuProgressTest, AGoneProcessCountsAsUnchanged) {
  FakeCpuTimes times({{42, {5, absl::NotFoundError("no process 42"), absl::NotFoundError("no process 42")}}});
  CpuProgress progress(42, 2, times.Reader());
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(false));
  EXPECT_THAT(progress.Stalled(), IsOkAndHolds(true));
}

TEST(CpuProgressTest, AnUnreadableSampleIsAnError) {
  FakeCpuTimes times({{42, {absl::PermissionDeniedError("/proc/42/stat: denied")}}});
  CpuProgress progress(42, 2, times.Reader());
  EXPECT_THAT(progress.Stalled(), StatusIs(absl::StatusCode::kPermissionDenied, "/proc/42/stat: denied"));
}

TEST(ReadCpuTimeTest, GrowsAsTheProcessRuns) {
  const absl::StatusOr<uint64_t> before = ReadCpuTime(getpid());
  ASSERT_TRUE(before.ok()) << before.status();
  // 30 ms of CPU: three clock ticks (USER_HZ is 100), of which the kernel's
  // split into user and system time may round away two.
  const clock_t start = clock();
  while (clock() - start < CLOCKS_PER_SEC * 3 / 100) {
  }
  EXPECT_THAT(ReadCpuTime(getpid()), IsOkAndHolds(Gt(*before)));
}

}  // namespace
}  // namespace hull
