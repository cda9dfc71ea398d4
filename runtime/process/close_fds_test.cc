#include "runtime/process/close_fds.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace hull::process
