// A pseudo-terminal for a container's process, allocated in the container's
// own devpts instance (the one mounted on its /dev/pts), never in the host's.
//
// Hardened as runc is since CVE-2025-52565: /dev/pts/ptmx is opened without
// following a symlink and checked (fstatfs, fstat) to be the ptmx node of a
// real devpts before it is opened for real, and the slave comes from the
// master itself (TIOCGPTPEER), never from opening /dev/pts/N by a path that
// something in the container could have replaced.
#ifndef HULL_RUNTIME_CONSOLE_PTY_H_
#define HULL_RUNTIME_CONSOLE_PTY_H_

#include <string>

#include "absl/status/statusor.h"
#include "base/fd.h"

namespace hull::console {

struct Pty {
  UniqueFd master;  // O_RDWR | O_NOCTTY | O_CLOEXEC
  UniqueFd slave;   // O_RDWR | O_NOCTTY | O_CLOEXEC
  int number = -1;  // the slave is /dev/pts/<number> of its devpts
};

// A new, unlocked pty from the devpts mounted on /dev/pts of `root` (the
// container's "/" once it has pivoted; the path resolves inside it).
// FailedPrecondition when /dev/pts is not a devpts or its ptmx is not that
// devpts's own ptmx node.
absl::StatusOr<Pty> AllocatePty(const std::string& root = "/");

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_PTY_H_
