// Creating the container's init: clone3 with fork semantics, straight from the
// single-threaded launcher, and controlling the child through its pidfd.
#ifndef HULL_NSENTER_CLONE_H_
#define HULL_NSENTER_CLONE_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nsenter/pidfd.h"
#include "base/fd.h"

namespace hull::nsenter {

struct CloneOptions {
  // CLONE_NEW* flags only (NamespacePlan::clone_flags).
  uint64_t namespace_flags = 0;
  // When >= 0: an fd on a cgroup v2 directory; the child starts in that cgroup
  // (CLONE_INTO_CGROUP), so it is never charged to the launcher's.
  int cgroup_fd = -1;
  // CLONE_PARENT: the child is the caller's sibling, its parent's child. A
  // fork server clones the inits it is asked for this way, so that the
  // program that asked is their parent and can wait for them.
  bool as_sibling = false;
};

// What Clone returns on each side: in the parent the child's pid and a pidfd
// on it; in the child pid 0 and no pidfd.
struct ClonedProcess {
  pid_t pid = 0;
  UniqueFd pidfd;

  bool in_child() const { return pid == 0; }
};

// Creates child processes, to be controlled by their pidfd (pidfd.h). The
// create path takes this interface so that it can be tested without
// namespaces (testing/forking_cloner.h).
class ProcessCloner {
 public:
  virtual ~ProcessCloner() = default;

  // Like fork(): returns twice, once in the parent and once in the child
  // (in_child()), which runs on a copy of the caller's memory and stack. The
  // child's exit signal is SIGCHLD. Errors are returned in the parent only.
  //
  // The child must follow the rules for a freshly cloned process: the raw
  // clone3 leaves glibc's cached thread id stale in the child (it is the
  // parent's), so it must not use pthread_* calls or raise()/abort() (use
  // kill(getpid(), ...)), and it must end with _exit or execve, never exit().
  // No atfork handlers run.
  virtual absl::StatusOr<ClonedProcess> Clone(const CloneOptions& options) = 0;
};

// The kernel's clone3(2) (Linux >= 5.7 for CLONE_INTO_CGROUP, 5.3 otherwise).
class LinuxProcessCloner final : public ProcessCloner {
 public:
  absl::StatusOr<ClonedProcess> Clone(const CloneOptions& options) override;
};

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_CLONE_H_
