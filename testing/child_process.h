// Runs a piece of container-init code in a forked child, so that the test
// process keeps its own ids, capabilities, limits and namespaces: the child
// unshares the namespaces asked for, optionally chroots into a root
// filesystem (a testing/rootfs_fixture.h one, say) with a fresh /proc, and
// runs the body, which normally ends in execve. What the child prints is
// returned to the test.
#ifndef HULL_TESTING_CHILD_PROCESS_H_
#define HULL_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hull::testing {

struct ChildOptions {
  // CLONE_NEW* flags the child unshares first.
  int unshare_flags = 0;
  // When set, the child (which must unshare CLONE_NEWNS) makes its mounts
  // private, mounts procfs on `<chroot_dir>/proc` and chroots into it.
  std::string chroot_dir;
};

struct ChildOutcome {
  // The exit status, or -1 when a signal ended the child.
  int exit_code = -1;
  int signal = 0;
  // The child's stdout and stderr, as written.
  std::string output;
};

// The exit code of a child whose body returned an error (its message is
// written to stderr, and so into `output`).
inline constexpr int kChildBodyFailed = 125;

// Forks, prepares the child as `options` says, and runs `body` there. A body
// that returns (rather than exec'ing) ends the child with 0 when OK, else
// with kChildBodyFailed. Waits for the child and returns what it did.
absl::StatusOr<ChildOutcome> RunInChild(const ChildOptions& options,
                                        const std::function<absl::Status()>& body);

// Forks a child that waits until `before_release(pid)`, run here, has
// returned (moving the child into a cgroup, say), then runs `body` and exits
// with its result. Returns the child's pid, for the caller to reap; when
// `before_release` fails, the child is killed and reaped and that is the
// error.
absl::StatusOr<pid_t> StartHeldChild(const std::function<int()>& body,
                                     const std::function<absl::Status(pid_t)>& before_release);

}  // namespace hull::testing

#endif  // HULL_TESTING_CHILD_PROCESS_H_
