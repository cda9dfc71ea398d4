#include "runtime/seccomp/load_filter.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "gtest/gtest.h"
#include "runtime/seccomp/compile_filter.h"
#include "testing/status_matchers.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOk;

// Runs `body` in a forked child with no_new_privs (which lets any user load
// a filter); its exit code, 100 + a failed check's number.
template <typename Body>
int InChild(Body body) {
  const pid_t child = fork();
  if (child == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(99);
    _exit(body());
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

config::Seccomp ErrnoForGetppid() {
  config::Seccomp profile;
  profile.set_default_action("SCMP_ACT_ALLOW");
  config::Syscall& rule = *profile.add_syscalls();
  rule.add_names("getppid");
  rule.set_action("SCMP_ACT_ERRNO");
  rule.set_errno_ret(42);
  return profile;
}

TEST(LoadFilterTest, TheLoadedFilterAnswers) {
  absl::StatusOr<Filter> filter = CompileFilter(ErrnoForGetppid());
  ASSERT_THAT(filter, IsOk());
  EXPECT_EQ(InChild([&] {
              absl::StatusOr<UniqueFd> listener = LoadFilter(*filter);
              if (!listener.ok()) return 101;
              if (listener->valid()) return 102;
              if (syscall(SYS_getppid) != -1 || errno != 42) return 103;
              if (syscall(SYS_getpid) <= 0) return 104;
              return 0;
            }),
            0);
}

TEST(LoadFilterTest, ANotifyingFilterReturnsItsListener) {
  config::Seccomp profile = ErrnoForGetppid();
  profile.set_listener_path("/run/agent.sock");
  config::Syscall& rule = *profile.add_syscalls();
  rule.add_names("mkdir");
  rule.set_action("SCMP_ACT_NOTIFY");
  absl::StatusOr<Filter> filter = CompileFilter(profile);
  ASSERT_THAT(filter, IsOk());
  ASSERT_TRUE(filter->new_listener());
  EXPECT_EQ(InChild([&] {
              absl::StatusOr<UniqueFd> listener = LoadFilter(*filter);
              if (!listener.ok()) return 101;
              if (!listener->valid()) return 102;
              // A seccomp listener answers its own ioctls: no notification yet.
              if (fcntl(listener->get(), F_GETFD) < 0) return 103;
              if (syscall(SYS_getppid) != -1 || errno != 42) return 104;
              return 0;
            }),
            0);
}

TEST(LoadFilterTest, AnInvalidProgramIsRefusedWithTheKernelsError) {
  // A program that does not end with a return.
  Filter filter{.program = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)}};
  EXPECT_EQ(InChild([&] {
              absl::StatusOr<UniqueFd> listener = LoadFilter(filter);
              if (listener.ok()) return 101;
              if (listener.status().message().find(
                      "seccomp(SECCOMP_SET_MODE_FILTER, flags 0x0) of 1 instructions") ==
                  absl::string_view::npos) {
                return 102;
              }
              return 0;
            }),
            0);
}

}  // namespace
}  // namespace hull::runtime::seccomp
