#include "tools/bench/timed_run.h"

#include <stdlib.h>
#include <time.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::bench {
namespace {

using ::hull::testing::ReadFile;

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

std::string StderrPath() { return std::string(getenv("TEST_TMPDIR")) + "/stderr"; }

class TimedRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SetMeasuredExec(std::string(getenv("TEST_SRCDIR")) + "/hull/tools/bench/measured_exec");
  }
};

TEST_F(TimedRunTest, MeasuresASuccessfulProgram) {
  absl::StatusOr<Measurement> run = TimedRun({"/bin/sh", "-c", "sleep 0.05"}, StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_GE(run->wall, absl::Milliseconds(50));
  EXPECT_LT(run->wall, absl::Seconds(10));
  EXPECT_GT(run->peak_rss_kib, 0);
}

TEST_F(TimedRunTest, ReportsTheExitCodeAndKeepsStderr) {
  absl::StatusOr<Measurement> run =
      TimedRun({"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"}, StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_EQ(ReadFile(StderrPath()).value_or(""), "to-stderr\n");
}

TEST_F(TimedRunTest, ASignalIs128PlusItsNumber) {
  absl::StatusOr<Measurement> run = TimedRun({"/bin/sh", "-c", "kill -KILL $$"}, StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 128 + 9);
}

TEST_F(TimedRunTest, PeakRssCoversWaitedForDescendants) {
  // The shell stays small; dd, which it forks and waits for, fills a 64 MiB
  // buffer.
  absl::StatusOr<Measurement> run = TimedRun(
      {"/bin/sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; exit $?"},
      StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_GE(run->peak_rss_kib, 60 * 1024);
}

TEST_F(TimedRunTest, PeakRssIsNotTheCallers) {
  // This process holds 64 MiB; /bin/true, spawned after, holds far less.
  std::vector<char> held(64 << 20, 1);
  absl::StatusOr<Measurement> run = TimedRun({"/bin/true"}, StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_GT(run->peak_rss_kib, 0);
  EXPECT_LT(run->peak_rss_kib, 16 * 1024);
  EXPECT_EQ(held[held.size() / 2], 1);
}

TEST_F(TimedRunTest, CpuCoversWaitedForDescendants) {
  // The shell sleeps; the shell it forks and waits for spins.
  absl::StatusOr<Measurement> run = TimedRun(
      {"/bin/sh", "-c", "/bin/sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'"},
      StderrPath());
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_GT(run->cpu, absl::Milliseconds(20));
  EXPECT_LE(run->cpu, run->wall * 2);
}

TEST_F(TimedRunTest, SpawnedProgramsRunAtTheSameTime) {
  const std::string first = StderrPath() + ".1";
  const std::string second = StderrPath() + ".2";
  absl::StatusOr<Spawned> a = Spawn({"/bin/sh", "-c", "sleep 0.3"}, first);
  absl::StatusOr<Spawned> b = Spawn({"/bin/sh", "-c", "sleep 0.3; exit 4"}, second);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  absl::StatusOr<Measurement> b_run = Wait(*b);
  absl::StatusOr<Measurement> a_run = Wait(*a);
  ASSERT_THAT(a_run, IsOk());
  ASSERT_THAT(b_run, IsOk());
  EXPECT_EQ(a_run->exit_code, 0);
  EXPECT_EQ(b_run->exit_code, 4);
  EXPECT_GE(a_run->wall, absl::Milliseconds(300));
  // Both slept at once: less than the two sleeps one after the other.
  EXPECT_LT(a_run->wall, absl::Milliseconds(600));
}

// CLOCK_MONOTONIC as Measurement::start has it.
absl::Time MonotonicNow() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return absl::UnixEpoch() + absl::Seconds(now.tv_sec) + absl::Nanoseconds(now.tv_nsec);
}

// Spawned 200 ms apart, held, they start when the gate opens, together, and
// without the gate's fds.
TEST_F(TimedRunTest, GatedProgramsStartTogetherWhenTheGateOpens) {
  absl::StatusOr<StartGate> gate = StartGate::Create();
  ASSERT_THAT(gate, IsOk());
  const std::vector<std::string> argv = {
      "/bin/sh", "-c", "test ! -e /proc/self/fd/3 && test ! -e /proc/self/fd/4"};
  absl::StatusOr<Spawned> a = Spawn(argv, StderrPath() + ".1", &*gate);
  absl::SleepFor(absl::Milliseconds(200));
  absl::StatusOr<Spawned> b = Spawn(argv, StderrPath() + ".2", &*gate);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  absl::SleepFor(absl::Milliseconds(200));
  const absl::Time opened = MonotonicNow();
  ASSERT_THAT(gate->Open(), IsOk());
  absl::StatusOr<Measurement> a_run = Wait(*a);
  absl::StatusOr<Measurement> b_run = Wait(*b);
  ASSERT_THAT(a_run, IsOk());
  ASSERT_THAT(b_run, IsOk());
  EXPECT_EQ(a_run->exit_code, 0) << "the program got a gate's fd";
  EXPECT_EQ(b_run->exit_code, 0) << "the program got a gate's fd";
  EXPECT_GE(a_run->start, opened);
  EXPECT_GE(b_run->start, opened);
  EXPECT_LT(absl::AbsDuration(a_run->start - b_run->start), absl::Milliseconds(150));
}

TEST_F(TimedRunTest, AGateWithNothingSpawnedOpensAtOnce) {
  absl::StatusOr<StartGate> gate = StartGate::Create();
  ASSERT_THAT(gate, IsOk());
  EXPECT_THAT(gate->Open(absl::Seconds(5)), IsOk());
}

TEST_F(TimedRunTest, AMissingProgramIsAnError) {
  EXPECT_THAT(TimedRun({"/nonexistent/program"}, StderrPath()),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("/nonexistent/program")));
}

TEST_F(TimedRunTest, NoProgramIsAnError) {
  EXPECT_THAT(TimedRun({}, StderrPath()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no program")));
}

}  // namespace
}  // namespace hull::bench
