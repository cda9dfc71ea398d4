#include "runtime/process/signals.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

// In a child, so that the test's own signal state is left alone: ignores
// and blocks signals, resets them, and reports how it found them.
TEST(ResetSignalsTest, LeavesNothingIgnoredOrBlocked) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGUSR1, [](int) {});
    // glibc's own real-time signal, which its sigaction() refuses to touch.
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    if (syscall(SYS_rt_sigaction, 32, &ignore, nullptr, 8) != 0) _exit(13);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGRTMIN + 3);
    sigprocmask(SIG_BLOCK, &blocked, nullptr);
    if (!ResetSignals().ok()) _exit(10);
    for (int signal : {SIGINT, SIGPIPE, SIGUSR1, SIGHUP}) {
      struct sigaction action;
      if (sigaction(signal, nullptr, &action) != 0 || action.sa_handler != SIG_DFL) _exit(11);
    }
    struct sigaction action32 = {};
    if (syscall(SYS_rt_sigaction, 32, nullptr, &action32, 8) != 0 ||
        action32.sa_handler != SIG_DFL) {
      _exit(14);
    }
    sigset_t mask;
    sigprocmask(SIG_SETMASK, nullptr, &mask);
    if (sigismember(&mask, SIGTERM) || sigismember(&mask, SIGRTMIN + 3)) _exit(12);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: reset failed, 11: a disposition, 12: the mask, 13/14: signal 32";
}

}  // namespace
}  // namespace hull::process
