// clone3 without namespaces needs no privilege: the fork semantics, the pidfd
// and the flag checks are tested here; namespaces in nsenter_root_test.
#include "nsenter/clone.h"

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(LinuxProcessClonerTest, ForkSemanticsWithAPidfd) {
  LinuxProcessCloner cloner;
  int marker = 1;
  absl::StatusOr<ClonedProcess> process = cloner.Clone({});
  ASSERT_THAT(process, IsOk());
  if (process->in_child()) {
    // A copy of the parent's memory: the write is not seen by the parent.
    marker = 2;
    _exit(getppid() > 0 && marker == 2 ? 42 : 1);
  }
  EXPECT_GT(process->pid, 0);
  ASSERT_TRUE(process->pidfd.valid());
  EXPECT_THAT(PidfdWait(process->pidfd.get()),
              IsOkAndHolds(ExitStatus{.signaled = false, .code = 42}));
  EXPECT_EQ(marker, 1);
}

TEST(LinuxProcessClonerTest, SignalThroughThePidfd) {
  LinuxProcessCloner cloner;
  absl::StatusOr<ClonedProcess> process = cloner.Clone({});
  ASSERT_THAT(process, IsOk());
  if (process->in_child()) {
    while (true) pause();
  }
  ASSERT_THAT(PidfdSendSignal(process->pidfd.get(), SIGTERM), IsOk());
  EXPECT_THAT(PidfdWait(process->pidfd.get()),
              IsOkAndHolds(ExitStatus{.signaled = true, .code = SIGTERM}));
  EXPECT_THAT(PidfdSendSignal(process->pidfd.get(), SIGTERM),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("has exited")));
}

TEST(LinuxProcessClonerTest, RefusesFlagsOtherThanNamespaces) {
  LinuxProcessCloner cloner;
  EXPECT_THAT(cloner.Clone({.namespace_flags = CLONE_NEWPID | CLONE_VM}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("0x100 are not CLONE_NEW* namespace flags")));
}

TEST(LinuxProcessClonerTest, KernelErrorsNameTheFlags) {
  LinuxProcessCloner cloner;
  // No fd is open there: the kernel refuses it (EBADF).
  absl::StatusOr<ClonedProcess> process = cloner.Clone({.cgroup_fd = 1 << 20});
  if (process.ok() && process->in_child()) _exit(0);
  EXPECT_THAT(process, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("clone3 with flags 0x200001000")));
}

}  // namespace
}  // namespace hull::nsenter
