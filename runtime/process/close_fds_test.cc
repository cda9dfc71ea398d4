#include "runtime/process/close_fds.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::RunInChild;
using ::hull::testing::StatusIs;

// In a child with fds 20..24 open (not close-on-exec), runs `act` and
// prints the state of each: "-" closed, "c" close-on-exec, "o" open.
std::string StatesAfter(const std::function<absl::Status()>& act) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [&]() -> absl::Status {
    for (int fd = 20; fd <= 24; ++fd) {
      if (dup2(STDERR_FILENO, fd) != fd) return ErrnoStatus("dup2");
    }
    if (absl::Status status = act(); !status.ok()) return status;
    std::string states;
    for (int fd = 20; fd <= 24; ++fd) {
      const int flags = fcntl(fd, F_GETFD);
      states += flags < 0 ? '-' : (flags & FD_CLOEXEC) != 0 ? 'c' : 'o';
    }
    (void)!write(STDOUT_FILENO, states.data(), states.size());
    return absl::OkStatus();
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.ok() ? outcome->output : "";
}

TEST(MarkCloseOnExecFromTest, MarksFromTheFirstUp) {
  EXPECT_EQ(StatesAfter([] { return MarkCloseOnExecFrom(22); }), "ooccc");
}

TEST(CloseFdsFromTest, ClosesAllButTheKeptOnes) {
  EXPECT_EQ(StatesAfter([] { return CloseFdsFrom(21, {23, 2, 23}); }), "o--o-");
  EXPECT_EQ(StatesAfter([] { return CloseFdsFrom(21, {}); }), "o----");
  EXPECT_EQ(StatesAfter([] { return CloseFdsFrom(21, {21, 24}); }), "oo--o");
}

TEST(CloseFdsFromTest, KeptFdsStayCloseOnExec) {
  EXPECT_EQ(StatesAfter([] {
              absl::Status status = MarkCloseOnExecFrom(21);
              return status.ok() ? CloseFdsFrom(21, {22}) : status;
            }),
            "o-c--");
}

TEST(CloseFdsFromTest, RefusesStdio) {
  EXPECT_THAT(CloseFdsFrom(2, {}), StatusIs(absl::StatusCode::kInvalidArgument, "fd 2 is stdio"));
  EXPECT_THAT(MarkCloseOnExecFrom(0),
              StatusIs(absl::StatusCode::kInvalidArgument, "fd 0 is stdio"));
}

// Four pipes whose write ends sit at 20..23 (and the first also at 1, among
// the targets) are placed as 0..3 in a scrambled order; then each pipe must
// get exactly the byte written to its target fd.
TEST(PlaceInheritedFdsTest, MakesEachFdItsTargetNumberEvenWhenTheyOverlap) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [&]() -> absl::Status {
    const int saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 30);
    int read_ends[4];
    for (int i = 0; i < 4; ++i) {
      int ends[2];
      if (pipe(ends) != 0) return ErrnoStatus("pipe");
      // Above the targets, which PlaceInheritedFds may overwrite.
      read_ends[i] = fcntl(ends[0], F_DUPFD_CLOEXEC, 40);
      if (read_ends[i] < 0 || dup2(ends[1], 20 + i) < 0) return ErrnoStatus("dup");
      close(ends[0]);
      close(ends[1]);
    }
    if (dup2(20, 1) < 0) return ErrnoStatus("dup2");
    // fd 1 is a source (of target 2) and a target (of 21).
    const int targets[] = {22, 21, 1, 23};
    RETURN_IF_ERROR(PlaceInheritedFds(targets));
    std::string report;
    for (int fd = 0; fd < 4; ++fd) {
      if (fcntl(fd, F_GETFD) & FD_CLOEXEC) report += "cloexec ";
      if (write(fd, "x", 1) != 1) return ErrnoStatus("write ", fd);
    }
    // Pipe i got one byte for each target fd that names it.
    for (int i = 0; i < 4; ++i) {
      char bytes[4];
      fcntl(read_ends[i], F_SETFL, O_NONBLOCK);
      const ssize_t n = read(read_ends[i], bytes, sizeof(bytes));
      absl::StrAppend(&report, n < 0 ? 0 : n);
    }
    (void)!write(saved_stdout, report.data(), report.size());
    return absl::OkStatus();
  });
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->exit_code, 0);
  // Targets 22, 21, (20 via 1), 23: pipes 0, 1, 2, 3 got one byte each.
  EXPECT_EQ(outcome->output, "1111");
}

}  // namespace
}  // namespace hull::process
