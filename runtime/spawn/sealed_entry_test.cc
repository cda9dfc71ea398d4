// The sealed entry point, traced: sealed_entry_probe is a static
// position-independent program, so its entry point is the first code its
// image runs, and every system call of that image before its re-execution
// is the entry point's or libc's start's.
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::runtime {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::MatchesRegex;
using ::testing::Not;

std::string ProbePath() {
  const char* runfiles = std::getenv("TEST_SRCDIR");
  return absl::StrCat(runfiles != nullptr ? runfiles : ".", "/hull/runtime/spawn/sealed_entry_probe");
}

struct Traced {
  // The system calls the first image entered, up to the re-execution (or all
  // of them, when there was none).
  std::vector<long> first_image_calls;
  bool reexecuted = false;
  std::string output;
  int status = -1;
};

// How the probe is started: by its path, or by execveat of an fd on it (as
// the entry point's own re-execution starts it).
enum class Start { kByPath, kThroughAnFd };

// Runs the probe with `argument` under ptrace, recording the first image's
// system calls.
Traced TraceProbe(const char* argument, Start start = Start::kByPath) {
  Traced traced;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2";
    return traced;
  }
  UniqueFd read_end(out[0]);
  const std::string probe = ProbePath();
  const pid_t child = fork();
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    if (start == Start::kByPath) {
      execl(probe.c_str(), probe.c_str(), argument, nullptr);
    } else {
      const int fd = open(probe.c_str(), O_RDONLY | O_CLOEXEC);
      const char* const argv[] = {probe.c_str(), argument, nullptr};
      const char* const envp[] = {nullptr};
      syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
    }
    _exit(127);
  }
  close(out[1]);
  if (child < 0) {
    ADD_FAILURE() << "fork";
    return traced;
  }
  int status = 0;
  // Stopped after its execve.
  if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
    ADD_FAILURE() << "the probe did not stop after its execve: status " << status;
    return traced;
  }
  ptrace(PTRACE_SETOPTIONS, child, nullptr,
         reinterpret_cast<void*>(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
  while (true) {
    if (ptrace(PTRACE_SYSCALL, child, nullptr, nullptr) != 0) break;
    if (waitpid(child, &status, 0) != child) break;
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
      traced.reexecuted = true;
      break;
    }
    if (WSTOPSIG(status) != (SIGTRAP | 0x80)) continue;
    __ptrace_syscall_info info{};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, child, reinterpret_cast<void*>(sizeof(info)), &info) <= 0) break;
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) traced.first_image_calls.push_back(info.entry.nr);
  }
  if (!WIFEXITED(status) && !WIFSIGNALED(status)) {
    ptrace(PTRACE_DETACH, child, nullptr, nullptr);
    waitpid(child, &status, 0);
  }
  traced.status = status;
  char buffer[256];
  ssize_t n;
  while ((n = read(read_end.get(), buffer, sizeof(buffer))) > 0) traced.output.append(buffer, n);
  return traced;
}

TEST(SealedEntryTest, TheFirstImageMakesThreeSystemCallsAndRunsNoLibcStart) {
  ASSERT_EQ(geteuid(), 0u) << "open_tree of a detached mount needs root";
  const Traced traced = TraceProbe("seal");
  EXPECT_TRUE(traced.reexecuted);
  EXPECT_THAT(traced.first_image_calls, ElementsAre(SYS_open_tree, SYS_mount_setattr, SYS_execveat));
  ASSERT_TRUE(WIFEXITED(traced.status)) << traced.status;
  EXPECT_EQ(WEXITSTATUS(traced.status), 0);
  // The re-executed image runs from the read-only mount, through its fd.
  EXPECT_THAT(traced.output, MatchesRegex("/dev/fd/[0-9]+ read-only\n"));
}

TEST(SealedEntryTest, ACommandLineThatDoesNotSealGoesStraightToLibcStart) {
  const Traced traced = TraceProbe("other");
  EXPECT_FALSE(traced.reexecuted);
  // libc's start ran (it sets up the thread pointer), and nothing was sealed.
  EXPECT_THAT(traced.first_image_calls, Contains(SYS_arch_prctl));
  EXPECT_THAT(traced.first_image_calls, Not(Contains(SYS_open_tree)));
  ASSERT_TRUE(WIFEXITED(traced.status)) << traced.status;
  EXPECT_EQ(WEXITSTATUS(traced.status), 0);
  EXPECT_EQ(traced.output, absl::StrCat(ProbePath(), " writable\n"));
}

// A program the kernel started through an fd is the entry point's own
// re-execution, or a caller's fexecve: the entry point leaves it to the
// .preinit_array function (ReexecSealedAtStart tells the two apart), and
// never re-executes it again.
TEST(SealedEntryTest, AProgramStartedThroughAnFdGoesStraightToLibcStart) {
  const Traced traced = TraceProbe("seal", Start::kThroughAnFd);
  EXPECT_FALSE(traced.reexecuted);
  EXPECT_THAT(traced.first_image_calls, Contains(SYS_arch_prctl));
  EXPECT_THAT(traced.first_image_calls, Not(Contains(SYS_open_tree)));
  ASSERT_TRUE(WIFEXITED(traced.status)) << traced.status;
  EXPECT_EQ(WEXITSTATUS(traced.status), 0);
  EXPECT_THAT(traced.output, MatchesRegex("/dev/fd/[0-9]+ writable\n"));
}

}  // namespace
}  // namespace hull::runtime
