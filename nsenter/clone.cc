#include "nsenter/clone.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "nsenter/pidfd.h"
#include "runtime/util/fd.h"

namespace hull::nsenter {
namespace {

constexpr uint64_t kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
                                     CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME;

long RawClone3(clone_args& args) { return syscall(SYS_clone3, &args, sizeof(args)); }

absl::Status Clone3Error(uint64_t flags, int error) {
  return absl::ErrnoToStatus(error, absl::StrCat("clone3 with flags 0x", absl::Hex(flags)));
}

// Waits for `pid`, a child of the caller, and reaps it.
absl::Status Reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::ErrnoToStatus(errno, absl::StrCat("waitpid ", pid));
  }
  return absl::OkStatus();
}

// What the helper of a clone into v1 cgroups tells the caller: the child's
// pid, or what failed.
struct HelperReport {
  pid_t pid = 0;
  int error = EPIPE;  // the helper died before it reported
  bool cloning = false;
};

// CloneOptions::v1_tasks_fds: a helper joins the cgroups and clones the
// child with `args` and CLONE_PARENT.
absl::StatusOr<ClonedProcess> CloneFromHelper(clone_args args, const std::vector<int>& tasks_fds) {
  args.flags |= CLONE_PARENT;
  // The kernel gives a CLONE_PARENT child the helper's exit signal (SIGCHLD)
  // and refuses any other.
  args.exit_signal = 0;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::ErrnoToStatus(errno, "pipe2");
  UniqueFd report_read(pipe_fds[0]);
  UniqueFd report_write(pipe_fds[1]);
  clone_args helper_args = {};
  helper_args.exit_signal = SIGCHLD;
  const long helper = RawClone3(helper_args);
  if (helper < 0) return Clone3Error(0, errno);
  if (helper == 0) {
    report_read.Reset();
    HelperReport report;
    report.error = 0;
    for (int fd : tasks_fds) {
      if (write(fd, "0", 1) != 1) {
        report.error = errno;
        break;
      }
    }
    if (report.error == 0) {
      report.cloning = true;
      const long pid = RawClone3(args);
      if (pid == 0) {
        // The child: the caller's, born in the cgroups.
        report_write.Reset();
        return ClonedProcess{};
      }
      if (pid < 0) report.error = errno;
      report.pid = static_cast<pid_t>(pid > 0 ? pid : 0);
    }
    _exit(write(report_write.get(), &report, sizeof(report)) == sizeof(report) ? 0 : 1);
  }
  report_write.Reset();
  HelperReport report;
  ssize_t got;
  do {
    got = read(report_read.get(), &report, sizeof(report));
  } while (got < 0 && errno == EINTR);
  if (got != sizeof(report)) report = HelperReport();
  const absl::Status reaped = Reap(static_cast<pid_t>(helper));
  if (report.pid <= 0) {
    if (report.cloning) return Clone3Error(args.flags, report.error);
    return absl::ErrnoToStatus(report.error, "join the container's v1 cgroups (write \"0\" to tasks)");
  }
  // The child is the caller's and unreaped: its pid cannot be reused.
  absl::StatusOr<UniqueFd> pidfd = reaped.ok() ? PidfdOpen(report.pid) : reaped;
  if (!pidfd.ok()) {
    kill(report.pid, SIGKILL);
    (void)Reap(report.pid);
    return pidfd.status();
  }
  ClonedProcess process;
  process.pid = report.pid;
  process.pidfd = *std::move(pidfd);
  return process;
}

}  // namespace

absl::StatusOr<ClonedProcess> LinuxProcessCloner::Clone(const CloneOptions& options) {
  if (options.namespace_flags & ~kNamespaceFlags) {
    return absl::InvalidArgumentError(
        absl::StrCat("clone3: flags 0x", absl::Hex(options.namespace_flags & ~kNamespaceFlags),
                     " are not CLONE_NEW* namespace flags"));
  }
  clone_args args = {};
  args.flags = options.namespace_flags;
  args.exit_signal = SIGCHLD;
  // No stack: the child runs on a copy of the parent's, as after fork().
  if (options.cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(options.cgroup_fd);
  }
  if (!options.v1_tasks_fds.empty()) return CloneFromHelper(args, options.v1_tasks_fds);
  int pidfd = -1;
  args.flags |= CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uintptr_t>(&pidfd);
  const long pid = RawClone3(args);
  if (pid < 0) return Clone3Error(args.flags, errno);
  ClonedProcess process;
  process.pid = static_cast<pid_t>(pid);
  if (pid > 0) process.pidfd.Reset(pidfd);
  return process;
}

absl::Status LinuxProcessCloner::Signal(int pidfd, int signal) {
  return PidfdSendSignal(pidfd, signal);
}

absl::StatusOr<ExitStatus> LinuxProcessCloner::Wait(int pidfd) { return PidfdWait(pidfd); }

}  // namespace hull::nsenter
