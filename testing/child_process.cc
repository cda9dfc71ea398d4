#include "testing/child_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_util.h"

namespace hull::testing {
namespace {

absl::Status PrepareChild(const ChildOptions& options) {
  if (options.unshare_flags != 0 && unshare(options.unshare_flags) != 0) {
    return ErrnoStatus("unshare (the test needs root)");
  }
  if (options.chroot_dir.empty()) return absl::OkStatus();
  if ((options.unshare_flags & CLONE_NEWNS) == 0) {
    return absl::InvalidArgumentError("chroot_dir needs CLONE_NEWNS in unshare_flags");
  }
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return ErrnoStatus("make / rprivate");
  }
  const std::string proc = absl::StrCat(options.chroot_dir, "/proc");
  if (mount("proc", proc.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return ErrnoStatus("mount proc on ", proc);
  }
  if (chroot(options.chroot_dir.c_str()) != 0) {
    return ErrnoStatus("chroot ", options.chroot_dir);
  }
  if (chdir("/") != 0) return ErrnoStatus("chdir /");
  return absl::OkStatus();
}

[[noreturn]] void ExitChild(const absl::Status& status) {
  if (status.ok()) _exit(0);
  const std::string message = absl::StrCat(status.message(), "\n");
  (void)!write(STDERR_FILENO, message.data(), message.size());
  _exit(kChildBodyFailed);
}

}  // namespace

absl::StatusOr<ChildOutcome> RunInChild(const ChildOptions& options,
                                        const std::function<absl::Status()>& body) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    if (dup2(write_end.get(), STDOUT_FILENO) < 0 || dup2(write_end.get(), STDERR_FILENO) < 0) {
      _exit(kChildBodyFailed);
    }
    read_end.Reset();
    write_end.Reset();
    absl::Status status = PrepareChild(options);
    if (status.ok()) status = body();
    ExitChild(status);
  }
  write_end.Reset();
  ChildOutcome outcome;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(read_end.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    outcome.output.append(buffer, static_cast<size_t>(n));
  }
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus("waitpid");
  }
  if (WIFEXITED(wait_status)) outcome.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) outcome.signal = WTERMSIG(wait_status);
  return outcome;
}

absl::StatusOr<pid_t> StartHeldChild(const std::function<int()>& body,
                                     const std::function<absl::Status(pid_t)>& before_release) {
  int held[2];
  if (pipe2(held, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  UniqueFd release_read(held[0]);
  UniqueFd release_write(held[1]);
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    release_write.Reset();
    char byte;
    _exit(read(release_read.get(), &byte, 1) == 1 ? body() : 127);
  }
  release_read.Reset();
  const absl::Status ready = before_release(pid);
  if (!ready.ok()) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return ready;
  }
  if (write(release_write.get(), "x", 1) != 1) {
    const absl::Status released = ErrnoStatus("release the child");
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return released;
  }
  return pid;
}

}  // namespace hull::testing
