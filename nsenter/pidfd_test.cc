#include "nsenter/pidfd.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// A forked child that pauses until signalled, or exits with `code` at once.
pid_t ForkChild(bool pause_forever, int code = 0) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (pause_forever) {
      while (true) pause();
    }
    _exit(code);
  }
  return pid;
}

TEST(PidfdTest, WaitReportsTheExitCode) {
  const pid_t pid = ForkChild(false, 7);
  ASSERT_GT(pid, 0);
  absl::StatusOr<UniqueFd> pidfd = PidfdOpen(pid);
  ASSERT_THAT(pidfd, IsOk());
  absl::StatusOr<ExitStatus> status = PidfdWait(pidfd->get());
  ASSERT_THAT(status, IsOkAndHolds(ExitStatus{.signaled = false, .code = 7}));
  EXPECT_EQ(status->ShellCode(), 7);
  EXPECT_EQ(status->ToString(), "exited with code 7");
}

TEST(PidfdTest, SignalKillsAndWaitReportsTheSignal) {
  const pid_t pid = ForkChild(true);
  ASSERT_GT(pid, 0);
  absl::StatusOr<UniqueFd> pidfd = PidfdOpen(pid);
  ASSERT_THAT(pidfd, IsOk());
  EXPECT_THAT(PidfdHasExited(pidfd->get(), absl::ZeroDuration()), IsOkAndHolds(false));
  EXPECT_THAT(PidfdHasExited(pidfd->get(), absl::Milliseconds(20)), IsOkAndHolds(false));
  ASSERT_THAT(PidfdSendSignal(pidfd->get(), SIGKILL), IsOk());
  EXPECT_THAT(PidfdHasExited(pidfd->get(), absl::Seconds(30)), IsOkAndHolds(true));
  absl::StatusOr<ExitStatus> status = PidfdWait(pidfd->get());
  ASSERT_THAT(status, IsOkAndHolds(ExitStatus{.signaled = true, .code = SIGKILL}));
  EXPECT_EQ(status->ShellCode(), 137);
  EXPECT_EQ(status->ToString(), "killed by signal 9 (Killed)");
  // Reaped: the pidfd still names the (gone) process, never a successor.
  EXPECT_THAT(PidfdSendSignal(pidfd->get(), SIGKILL),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("the process has exited")));
}

TEST(PidfdTest, HasExitedWithoutReaping) {
  const pid_t pid = ForkChild(false, 0);
  ASSERT_GT(pid, 0);
  absl::StatusOr<UniqueFd> pidfd = PidfdOpen(pid);
  ASSERT_THAT(pidfd, IsOk());
  EXPECT_THAT(PidfdHasExited(pidfd->get(), absl::InfiniteDuration()), IsOkAndHolds(true));
  // Still a zombie: waitpid reaps it.
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
}

TEST(PidfdTest, PidOfPidfdIsThePidUntilItIsReaped) {
  const pid_t pid = ForkChild(true);
  ASSERT_GT(pid, 0);
  absl::StatusOr<UniqueFd> pidfd = PidfdOpen(pid);
  ASSERT_THAT(pidfd, IsOk());
  EXPECT_THAT(PidOfPidfd(pidfd->get()), IsOkAndHolds(pid));
  ASSERT_THAT(PidfdSendSignal(pidfd->get(), SIGKILL), IsOk());
  ASSERT_THAT(PidfdWait(pidfd->get()), IsOk());
  EXPECT_THAT(PidOfPidfd(pidfd->get()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("the process exited")));
  UniqueFd not_a_pidfd(dup(0));
  EXPECT_THAT(PidOfPidfd(not_a_pidfd.get()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a pidfd")));
}

TEST(PidfdTest, OpenRefusesAMissingProcess) {
  const pid_t pid = ForkChild(false, 0);
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  // The pid is free now (reuse within the test is practically impossible).
  EXPECT_THAT(PidfdOpen(pid), StatusIs(absl::StatusCode::kNotFound, HasSubstr("no such process")));
}

TEST(PidfdTest, HasExitedRefusesABadFd) {
  EXPECT_THAT(PidfdHasExited(1 << 20, absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an open fd")));
}

}  // namespace
}  // namespace hull::nsenter
