#include "nsenter/pidfd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/poll_timeout.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::nsenter {

std::string ExitStatus::ToString() const {
  if (!signaled) return absl::StrCat("exited with code ", code);
  return absl::StrCat("killed by signal ", code, " (", strsignal(code), ")");
}

absl::StatusOr<UniqueFd> PidfdOpen(pid_t pid) {
  // PIDFD_NONBLOCK is not wanted: waitid on it would not block. pidfds are
  // always close-on-exec.
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) {
    const int error = errno;
    if (error == ESRCH)
      return absl::NotFoundError(absl::StrCat("pidfd_open ", pid, ": no such process"));
    return absl::ErrnoToStatus(error, absl::StrCat("pidfd_open ", pid));
  }
  return UniqueFd(fd);
}

absl::StatusOr<pid_t> PidOfPidfd(int pidfd) {
  const std::string path = absl::StrCat("/proc/self/fdinfo/", pidfd);
  UniqueFd file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return ErrnoStatus("open ", path);
  ASSIGN_OR_RETURN(const std::string text, ReadAll(file.get(), path));
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, "Pid:")) continue;
    int pid;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &pid)) break;
    if (pid <= 0) return absl::NotFoundError(absl::StrCat("pidfd ", pidfd, ": the process exited"));
    return pid;
  }
  return absl::InvalidArgumentError(absl::StrCat(path, " has no \"Pid:\" line: not a pidfd"));
}

absl::Status PidfdSendSignal(int pidfd, int signal) {
  if (syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) != 0) {
    const int error = errno;
    const std::string what =
        absl::StrCat("pidfd_send_signal ", signal, " (", strsignal(signal), ")");
    if (error == ESRCH) return absl::NotFoundError(absl::StrCat(what, ": the process has exited"));
    return absl::ErrnoToStatus(error, what);
  }
  return absl::OkStatus();
}

absl::StatusOr<ExitStatus> PidfdWait(int pidfd) {
  siginfo_t info = {};
  while (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info, WEXITED) != 0) {
    if (errno != EINTR) return ErrnoStatus("waitid(P_PIDFD)");
  }
  switch (info.si_code) {
    case CLD_EXITED:
      return ExitStatus{.signaled = false, .code = info.si_status};
    case CLD_KILLED:
    case CLD_DUMPED:
      return ExitStatus{.signaled = true, .code = info.si_status};
    default:
      return absl::InternalError(
          absl::StrCat("waitid(P_PIDFD): unexpected si_code ", info.si_code, " for WEXITED"));
  }
}

absl::StatusOr<bool> PidfdHasExited(int pidfd, absl::Duration timeout) {
  // A pidfd polls readable once its process has exited.
  const absl::Time deadline = DeadlineIn(timeout);
  while (true) {
    pollfd pfd = {.fd = pidfd, .events = POLLIN, .revents = 0};
    const int ready = poll(&pfd, 1, PollTimeoutMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ErrnoStatus("poll on pidfd");
    if (pfd.revents & POLLNVAL)
      return absl::InvalidArgumentError(absl::StrCat("poll: ", pidfd, " is not an open fd"));
    return ready > 0;
  }
}

}  // namespace hull::nsenter
