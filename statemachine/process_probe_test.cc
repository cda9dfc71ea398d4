#include "statemachine/process_probe.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "base/proc_stat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::statemachine {
namespace {

using ::hull::testing::IsOkAndHolds;

TEST(LinuxProcessProbeTest, OwnProcessWithItsStartTimeIsAlive) {
  LinuxProcessProbe probe;
  const uint64_t start_time = ReadProcStat(getpid())->start_time;
  EXPECT_THAT(probe.IsAlive(getpid(), start_time), IsOkAndHolds(true));
}

TEST(LinuxProcessProbeTest, ReusedPidIsNotAlive) {
  LinuxProcessProbe probe;
  const uint64_t start_time = ReadProcStat(getpid())->start_time;
  EXPECT_THAT(probe.IsAlive(getpid(), start_time + 1), IsOkAndHolds(false));
}

TEST(LinuxProcessProbeTest, DeadChildIsNotAlive) {
  LinuxProcessProbe probe;
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_THAT(probe.IsAlive(child, 0), IsOkAndHolds(false));
}

TEST(LinuxProcessProbeTest, ZombieIsNotAlive) {
  LinuxProcessProbe probe;
  const pid_t child = fork();
  if (child == 0) _exit(0);
  // Wait, without reaping, until the child has exited.
  siginfo_t info;
  ASSERT_EQ(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0);
  absl::StatusOr<ProcStat> stat = ReadProcStat(child);
  ASSERT_TRUE(stat.ok()) << stat.status();
  EXPECT_EQ(stat->state, 'Z');
  EXPECT_THAT(probe.IsAlive(child, stat->start_time), IsOkAndHolds(false));
  waitpid(child, nullptr, 0);
}

}  // namespace
}  // namespace hull::statemachine
