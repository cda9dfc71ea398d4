// Processes addressed by pidfd: open, signal, wait for exit. A pidfd keeps
// naming the same process even after its pid is reused.
#ifndef HULL_NSENTER_PIDFD_H_
#define HULL_NSENTER_PIDFD_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/fd.h"

namespace hull::nsenter {

// How a process ended.
struct ExitStatus {
  bool signaled = false;  // killed by a signal (with or without a core dump)
  int code = 0;           // the exit code, or the signal number when signaled

  // The status a shell (and `runc run`) reports: the code, or 128 + signal.
  int ShellCode() const { return signaled ? 128 + code : code; }
  // "exited with code 3", "killed by signal 9 (Killed)".
  std::string ToString() const;

  bool operator==(const ExitStatus&) const = default;
};

// pidfd_open(2) on `pid` (close-on-exec). NotFound when there is no such
// process. The caller must know `pid` is still the process it means (its own
// unreaped child, or checked by start time after opening).
absl::StatusOr<UniqueFd> PidfdOpen(pid_t pid);

// The pid, in the caller's pid namespace, of the process `pidfd` names (its
// /proc/self/fdinfo "Pid:" line); NotFound once it has exited. Only as good
// as the moment it was read: check the pidfd is alive after using the pid.
absl::StatusOr<pid_t> PidOfPidfd(int pidfd);

// pidfd_send_signal(2). NotFound when the process has exited.
absl::Status PidfdSendSignal(int pidfd, int signal);

// Waits for the exit of the caller's child named by `pidfd` and reaps it
// (waitid(P_PIDFD)). Retries on EINTR.
absl::StatusOr<ExitStatus> PidfdWait(int pidfd);

// True once the process named by `pidfd` has exited (it need not be the
// caller's child; nothing is reaped); false if it is still running after
// `timeout` (zero: just look).
absl::StatusOr<bool> PidfdHasExited(int pidfd, absl::Duration timeout);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_PIDFD_H_
