#include "nsenter/clone.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "nsenter/pidfd.h"
#include "base/fd.h"

namespace hull::nsenter {
namespace {

constexpr uint64_t kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
                                     CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME;

}  // namespace

absl::StatusOr<ClonedProcess> LinuxProcessCloner::Clone(const CloneOptions& options) {
  if (options.namespace_flags & ~kNamespaceFlags) {
    return absl::InvalidArgumentError(
        absl::StrCat("clone3: flags 0x", absl::Hex(options.namespace_flags & ~kNamespaceFlags),
                     " are not CLONE_NEW* namespace flags"));
  }
  int pidfd = -1;
  clone_args args = {};
  args.flags = CLONE_PIDFD | options.namespace_flags;
  args.pidfd = reinterpret_cast<uintptr_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  // No stack: the child runs on a copy of the parent's, as after fork().
  // With CLONE_PARENT the child's exit signal is the caller's own (clone3
  // refuses another).
  if (options.as_sibling) {
    args.flags |= CLONE_PARENT;
    args.exit_signal = 0;
  }
  if (options.cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(options.cgroup_fd);
  }
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid < 0) {
    return ErrnoStatus("clone3 with flags 0x", absl::Hex(args.flags));
  }
  ClonedProcess process;
  process.pid = static_cast<pid_t>(pid);
  if (pid > 0) process.pidfd.Reset(pidfd);
  return process;
}

}  // namespace hull::nsenter
