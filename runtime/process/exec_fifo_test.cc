#include "runtime/process/exec_fifo.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

class ExecFifoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    ASSERT_NE(tmp, nullptr) << "TEST_TMPDIR is not set: run under bazel test";
    std::string templ = absl::StrCat(tmp, "/exec_fifo_XXXXXX");
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    unlink(FifoPath().c_str());
    rmdir(dir_.c_str());
  }

  std::string FifoPath() const { return absl::StrCat(dir_, "/exec.fifo"); }

  // Forks an init that waits for start through `fifo_path_fd` and then exits
  // with what `then` returns given the fifo it holds (0 without `then`; 1 when
  // WaitForStart failed); returns its pid and pidfd.
  pid_t ForkInit(int fifo_path_fd, UniqueFd& pidfd, int (*then)(int fifo) = nullptr,
                 int procfs = -1) {
    const pid_t pid = fork();
    if (pid == 0) {
      absl::StatusOr<UniqueFd> started = WaitForStart(fifo_path_fd, procfs);
      if (!started.ok()) _exit(1);
      _exit(then == nullptr ? 0 : then(started->get()));
    }
    pidfd.Reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    return pid;
  }

  static int WaitExitCode(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string dir_;
};

TEST_F(ExecFifoTest, CreatesAFifoWithMode0622) {
  const mode_t old_umask = umask(077);
  absl::StatusOr<UniqueFd> fd = CreateExecFifo(dir_, getuid(), getgid());
  umask(old_umask);
  ASSERT_THAT(fd, IsOk());
  struct stat st;
  ASSERT_EQ(stat(FifoPath().c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0622u);
  EXPECT_EQ(st.st_uid, getuid());
  EXPECT_EQ(st.st_gid, getgid());
  EXPECT_THAT(CreateExecFifo(dir_, getuid(), getgid()),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("mkfifo")));
}

TEST_F(ExecFifoTest, CreateFailsCleanlyWithoutTheDirectory) {
  EXPECT_THAT(CreateExecFifo(absl::StrCat(dir_, "/missing"), getuid(), getgid()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/missing")));
}

TEST_F(ExecFifoTest, StartReleasesTheWaitingInit) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  UniqueFd pidfd;
  const pid_t pid = ForkInit(fifo->get(), pidfd);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(pidfd.valid());
  // The init blocks in open() until start.
  pollfd pfd = {.fd = pidfd.get(), .events = POLLIN, .revents = 0};
  EXPECT_EQ(poll(&pfd, 1, 200), 0) << "the init did not wait for start";

  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()), IsOk());
  EXPECT_EQ(WaitExitCode(pid), 0);
  EXPECT_NE(access(FifoPath().c_str(), F_OK), 0) << "start did not remove the fifo";
  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the container was started already")));
}

TEST_F(ExecFifoTest, TheInitReachesTheFifoByFdAlone) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  // Moved away after the fd was taken, as pivot_root takes the path away from
  // the init: start finds it at the new place, the init through its fd.
  const std::string moved = absl::StrCat(dir_, "/moved");
  ASSERT_EQ(mkdir(moved.c_str(), 0700), 0);
  ASSERT_EQ(rename(FifoPath().c_str(), absl::StrCat(moved, "/exec.fifo").c_str()), 0);
  UniqueFd pidfd;
  const pid_t pid = ForkInit(fifo->get(), pidfd);
  ASSERT_GT(pid, 0);
  EXPECT_THAT(ReleaseExecFifo(moved, pidfd.get()), IsOk());
  EXPECT_EQ(WaitExitCode(pid), 0);
  rmdir(moved.c_str());
}

// A container without a mount namespace of its own has no procfs at /proc:
// its init goes through the host's, pinned before its chroot.
TEST_F(ExecFifoTest, TheInitReachesTheFifoThroughAProcfsFd) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  UniqueFd procfs(open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(procfs.valid());
  UniqueFd pidfd;
  const pid_t pid = ForkInit(fifo->get(), pidfd, nullptr, procfs.get());
  ASSERT_GT(pid, 0);
  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()), IsOk());
  EXPECT_EQ(WaitExitCode(pid), 0);
}

TEST_F(ExecFifoTest, StartDoesNotHangOnADeadInit) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  const pid_t pid = fork();
  if (pid == 0) _exit(3);  // dies before reaching the fifo
  ASSERT_GT(pid, 0);
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  ASSERT_TRUE(pidfd.valid());
  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("container init exited before start")));
  EXPECT_EQ(WaitExitCode(pid), 3);
  // The fifo stays for delete.
  EXPECT_EQ(access(FifoPath().c_str(), F_OK), 0);
  EXPECT_THAT(RemoveExecFifo(dir_), IsOk());
  EXPECT_NE(access(FifoPath().c_str(), F_OK), 0);
  EXPECT_THAT(RemoveExecFifo(dir_), IsOk());
}

// Start returns once the init's end closes (at its exec), not at the byte.
TEST_F(ExecFifoTest, StartWaitsUntilTheInitsEndCloses) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  UniqueFd pidfd;
  const pid_t pid = ForkInit(fifo->get(), pidfd, [](int) {
    usleep(300 * 1000);
    return 0;
  });
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(pidfd.valid());
  const absl::Time before = absl::Now();
  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()), IsOk());
  EXPECT_GE(absl::Now() - before, absl::Milliseconds(300));
  EXPECT_EQ(WaitExitCode(pid), 0);
}

TEST_F(ExecFifoTest, StartFailsWithTheFailureTheInitReports) {
  absl::StatusOr<UniqueFd> fifo = CreateExecFifo(dir_, getuid(), getgid());
  ASSERT_THAT(fifo, IsOk());
  UniqueFd pidfd;
  const pid_t pid = ForkInit(fifo->get(), pidfd, [](int fifo) {
    return ReportStartFailure(fifo, "container init failed to run a hook").ok() ? 2 : 3;
  });
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(pidfd.valid());
  EXPECT_THAT(ReleaseExecFifo(dir_, pidfd.get()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "container init failed to run a hook"));
  EXPECT_EQ(WaitExitCode(pid), 2);
  EXPECT_NE(access(FifoPath().c_str(), F_OK), 0) << "start did not remove the fifo";
}

TEST_F(ExecFifoTest, RefusesAFileThatIsNoFifo) {
  const int fd = open(FifoPath().c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  close(fd);
  EXPECT_THAT(ReleaseExecFifo(dir_, -1),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is not a fifo")));
}

}  // namespace
}  // namespace hull::process
