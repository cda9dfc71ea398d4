#include "base/crash_point.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace hull {
namespace {

// What ends a child that sets HULL_CRASH_AT to `crash_at` (before its first
// crash point) and then passes the crash points "a" and "b": the signal that
// killed it, or 0 when it exited.
int SignalEndingChildAt(const char* crash_at) {
  const pid_t child = fork();
  if (child == 0) {
    if (crash_at != nullptr) setenv(kCrashAtVariable, crash_at, 1);
    CrashPoint("a");
    CrashPoint("b");
    _exit(0);
  }
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, 0), child);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST(CrashPointTest, KillsTheProcessAtTheNamedPointOnly) {
  EXPECT_EQ(SignalEndingChildAt("b"), SIGKILL);
  EXPECT_EQ(SignalEndingChildAt("a"), SIGKILL);
}

TEST(CrashPointTest, DoesNothingForOtherPointsOrWithoutTheVariable) {
  unsetenv(kCrashAtVariable);
  EXPECT_EQ(SignalEndingChildAt("c"), 0);
  EXPECT_EQ(SignalEndingChildAt(nullptr), 0);
}

}  // namespace
}  // namespace hull
