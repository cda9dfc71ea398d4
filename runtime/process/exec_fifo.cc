#include "runtime/process/exec_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::process {
namespace {

std::string FifoPath(const std::string& dir) { return absl::StrCat(dir, "/", kExecFifoName); }

absl::Status CheckIsFifo(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) return ErrnoStatus("stat ", path);
  if (!S_ISFIFO(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a fifo"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UniqueFd> CreateExecFifo(const std::string& dir, uid_t uid, gid_t gid) {
  const std::string path = FifoPath(dir);
  UniqueFd dir_fd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.valid()) return ErrnoStatus("open ", dir);
  if (mkfifoat(dir_fd.get(), kExecFifoName, 0600) != 0) {
    return ErrnoStatus("mkfifo ", path);
  }
  absl::Cleanup remove = [&] { unlinkat(dir_fd.get(), kExecFifoName, 0); };
  UniqueFd fifo(openat(dir_fd.get(), kExecFifoName, O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!fifo.valid()) return ErrnoStatus("open ", path);
  RETURN_IF_ERROR(CheckIsFifo(fifo.get(), path));
  if (fchownat(dir_fd.get(), kExecFifoName, uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoStatus("chown ", path, " to ", uid, ":", gid);
  }
  // Set after mkfifo so that the umask cannot narrow it: the init may be
  // another user than the fifo's owner once in its user namespace.
  if (fchmodat(dir_fd.get(), kExecFifoName, 0622, 0) != 0) {
    return ErrnoStatus("chmod ", path);
  }
  std::move(remove).Cancel();
  return fifo;
}

absl::StatusOr<UniqueFd> WaitForStart(int fifo_path_fd, int procfs) {
  const std::string proc_path = absl::StrCat("/proc/self/fd/", fifo_path_fd);
  const std::string relative = absl::StrCat("self/fd/", fifo_path_fd);
  UniqueFd fifo;
  do {
    fifo.Reset(procfs >= 0 ? openat(procfs, relative.c_str(), O_WRONLY | O_CLOEXEC)
                           : open(proc_path.c_str(), O_WRONLY | O_CLOEXEC));
  } while (!fifo.valid() && errno == EINTR);
  if (!fifo.valid()) {
    return ErrnoStatus("open the exec fifo through ", proc_path);
  }
  RETURN_IF_ERROR(CheckIsFifo(fifo.get(), proc_path));
  ssize_t written;
  do {
    written = write(fifo.get(), "0", 1);
  } while (written < 0 && errno == EINTR);
  if (written != 1) {
    return ErrnoStatus("write the exec fifo through ", proc_path);
  }
  return fifo;
}

absl::Status ReportStartFailure(int fifo_fd, absl::string_view message) {
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  if (sigprocmask(SIG_BLOCK, &pipe_signal, nullptr) != 0) return ErrnoStatus("block SIGPIPE");
  while (!message.empty()) {
    const ssize_t written = write(fifo_fd, message.data(), message.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return ErrnoStatus("write the start failure to the exec fifo");
    message.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::Status ReleaseExecFifo(const std::string& dir, int init_pidfd) {
  const std::string path = FifoPath(dir);
  // Non-blocking: with no writer the open would otherwise wait forever for an
  // init that may be dead.
  UniqueFd fifo(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
  if (!fifo.valid()) {
    if (errno == ENOENT) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " does not exist: the container was started already"));
    }
    return ErrnoStatus("open ", path);
  }
  RETURN_IF_ERROR(CheckIsFifo(fifo.get(), path));
  while (true) {
    pollfd fds[2] = {{.fd = fifo.get(), .events = POLLIN, .revents = 0},
                     {.fd = init_pidfd, .events = POLLIN, .revents = 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll ", path, " and the init's pidfd");
    }
    if (fds[1].revents & POLLNVAL) {
      return absl::InvalidArgumentError(absl::StrCat("init pidfd ", init_pidfd, " is not open"));
    }
    // Read first: an init that wrote its byte and then exec'd a short-lived
    // process has started, even if it is gone by now.
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      char byte;
      const ssize_t n = read(fifo.get(), &byte, 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return ErrnoStatus("read ", path);
      if (n == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("container init closed ", path, " without writing to it"));
      }
      break;
    }
    if (fds[1].revents & POLLIN) {
      return absl::FailedPreconditionError(
          absl::StrCat("container init exited before start (", path, " was never written)"));
    }
  }
  // Released. The init's end closes at its exec, or at its exit, after what
  // it had to say about a failure.
  std::string failure;
  while (true) {
    char buffer[4096];
    const ssize_t n = read(fifo.get(), buffer, sizeof(buffer));
    if (n > 0) {
      failure.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return ErrnoStatus("read ", path);
    pollfd pfd = {.fd = fifo.get(), .events = POLLIN, .revents = 0};
    if (poll(&pfd, 1, -1) < 0 && errno != EINTR) return ErrnoStatus("poll ", path);
  }
  if (unlink(path.c_str()) != 0) return ErrnoStatus("remove ", path);
  if (!failure.empty()) return absl::FailedPreconditionError(failure);
  return absl::OkStatus();
}

absl::Status RemoveExecFifo(const std::string& dir) {
  const std::string path = FifoPath(dir);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("remove ", path);
  }
  return absl::OkStatus();
}

}  // namespace hull::process
