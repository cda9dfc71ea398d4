// runc's exec fifo: how `start` releases a created container. `create` makes
// <state dir>/exec.fifo; the container's init, when everything but the exec
// is done, opens it for writing and so blocks until `start` opens it for
// reading; the init then writes one byte and execs the user's process, and
// `start` reads the byte and removes the fifo.
#ifndef HULL_RUNTIME_PROCESS_EXEC_FIFO_H_
#define HULL_RUNTIME_PROCESS_EXEC_FIFO_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
// once mounted). The fd opened here is close-on-exec.
absl::Status WaitForStart(int fifo_path_fd);

// `start` side: opens <dir>/exec.fifo for reading, which releases an init
// blocked in WaitForStart, reads its byte and removes the fifo. Watches
// `init_pidfd` meanwhile: FailedPrecondition when the init exits without
// writing (rather than waiting forever), and when there is no fifo (the
// container was started already).
absl::Status ReleaseExecFifo(const std::string& dir, int init_pidfd);

// Removes <dir>/exec.fifo if it is there (`delete` of a container that was
// never started).
absl::Status RemoveExecFifo(const std::string& dir);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_EXEC_FIFO_H_
