// runc's exec fifo: how `start` releases a created container. `create` makes
// <state dir>/exec.fifo; the container's init, when everything but the exec
// is done, opens it for writing and so blocks until `start` opens it for
// reading; the init then writes one byte, runs the startContainer hooks and
// execs the user's process, and `start` reads the byte, waits for the exec
// (which closes the init's end) and removes the fifo.
#ifndef HULL_RUNTIME_PROCESS_EXEC_FIFO_H_
#define HULL_RUNTIME_PROCESS_EXEC_FIFO_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

namespace hull::process {

inline constexpr char kExecFifoName[] = "exec.fifo";

// Parent side, in `create`: makes <dir>/exec.fifo with mode 0622 owned by
// `uid`:`gid` (the container's root as the host sees it, so that an init in a
// user namespace may open it), and returns an O_PATH fd on it (close-on-exec)
// for the init, which opens the fifo through that fd since its path is out of
// reach after pivot_root. AlreadyExists when the fifo exists; on any error
// nothing is left behind.
absl::StatusOr<UniqueFd> CreateExecFifo(const std::string& dir, uid_t uid, gid_t gid);

// Init side: reopens the fifo through /proc/self/fd/<fifo_path_fd> for
// writing, which blocks until `start` opens it for reading, then writes one
// byte. /proc must be a procfs in which "self" is the caller (the container's,
// once mounted), or `procfs` a procfs root fd (a container without a mount
// namespace of its own has none in view: LinuxProcFiles::Pin). Returns the
// fifo open for writing, close-on-exec: the init keeps it until its exec (or
// exit) closes it, which `start` waits for.
absl::StatusOr<UniqueFd> WaitForStart(int fifo_path_fd, int procfs = -1);

// Init side, between WaitForStart and the exec: tells `start` that the
// container failed to start, and why (`start` fails with `message`). The
// init exits next: SIGPIPE stays blocked, so that a `start` gone meanwhile
// cannot kill it before it reports the failure elsewhere.
absl::Status ReportStartFailure(int fifo_fd, absl::string_view message);

// `start` side: opens <dir>/exec.fifo for reading, which releases an init
// blocked in WaitForStart, reads its byte, waits until the init's end closes
// (at the exec of the user's process, or the init's exit) and removes the
// fifo. Watches `init_pidfd` until the byte comes: FailedPrecondition when the
// init exits without writing (rather than waiting forever), and when there is
// no fifo (the container was started already). FailedPrecondition with the
// init's message when it reported a failure (ReportStartFailure).
absl::Status ReleaseExecFifo(const std::string& dir, int init_pidfd);

// Removes <dir>/exec.fifo if it is there (`delete` of a container that was
// never started).
absl::Status RemoveExecFifo(const std::string& dir);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_EXEC_FIFO_H_
