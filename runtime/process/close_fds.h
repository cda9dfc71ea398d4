// The init's own file descriptors must not reach the container's process:
// only stdio and the preserved fds (--preserve-fds: 3 .. 3+N-1) do.
#ifndef HULL_RUNTIME_PROCESS_CLOSE_FDS_H_
#define HULL_RUNTIME_PROCESS_CLOSE_FDS_H_

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace hull::process {

// Marks every fd from `first` (3 + preserve_fds) up close-on-exec: they keep
// working until execve (the exec fifo, the channel to the launcher) and
// close there.
absl::Status MarkCloseOnExecFrom(int first);

// Closes every fd from `first` up except those in `keep`, right before
// execve, so that no fd of the init (a host directory above all,
// CVE-2024-21626) is open in the container even before the exec. Fds in
// `keep` stay (close-on-exec after MarkCloseOnExecFrom): e.g. the channel
// an exec failure is reported on.
absl::Status CloseFdsFrom(int first, absl::Span<const int> keep);

// Makes `fds[i]` the caller's fd i (0, 1, 2: stdio; then the preserved fds),
// not close-on-exec; the originals stay open (CloseFdsFrom closes them). Any
// other fd the caller still needs must be at or above fds.size(): it could
// be overwritten otherwise.
absl::Status PlaceInheritedFds(absl::Span<const int> fds);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_CLOSE_FDS_H_
