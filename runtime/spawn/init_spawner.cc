#include "runtime/spawn/init_spawner.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/fd_passing.h"
#include "base/proc_stat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/pidfd.h"
#include "nsenter/setns.h"
#include "runtime/spawn/sealed_reexec.h"

namespace hull::runtime {

absl::Status RequireSingleThreaded() {
  ASSIGN_OR_RETURN(const ProcStat self, ReadProcStat(getpid()));
  if (self.num_threads == 1) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot clone a container's init from a process with ", self.num_threads,
      " threads: the init could deadlock on a lock another thread holds; start a "
      "hull::runtime::ForkServer while the program is single-threaded and give it to the "
      "Runtime (RuntimeOptions::spawner)"));
}

namespace {

// In the cloned init: SIGKILL when the parent `parent` names dies, and exit
// now if it has died already. (A switch to another user clears the death
// signal; the init's steps after it never wait for the launcher, and its
// ready message fails on a channel a dead launcher closed.)
void DieWithParent(UniqueFd parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) _exit(1);
  struct pollfd exited = {.fd = parent.get(), .events = POLLIN, .revents = 0};
  if (poll(&exited, 1, 0) != 0) _exit(1);
}

// Makes the caller non-dumpable, so that its clone is from birth: until the
// clone execs (the user's process, or its own binary re-executed), its memory
// is a copy of the caller's, which no process of a container may read (nor
// its /proc/<pid>/exe open, unless that is sealed already). Restores the
// caller's dumpable flag when it goes.
class NonDumpableForClone {
 public:
  static absl::StatusOr<NonDumpableForClone> Enter() {
    const int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    if (dumpable < 0) return ErrnoStatus("prctl(PR_GET_DUMPABLE)");
    if (dumpable != 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
      return ErrnoStatus("prctl(PR_SET_DUMPABLE, 0)");
    }
    return NonDumpableForClone(dumpable);
  }
  NonDumpableForClone(NonDumpableForClone&& other) noexcept
      : restore_(std::exchange(other.restore_, 0)) {}
  NonDumpableForClone& operator=(NonDumpableForClone&&) = delete;
  ~NonDumpableForClone() {
    if (restore_ != 0) (void)prctl(PR_SET_DUMPABLE, restore_, 0, 0, 0);
  }

 private:
  explicit NonDumpableForClone(int restore) : restore_(restore) {}
  int restore_;
};

// In an init cloned in a joined user namespace: becomes its root, as runc's
// nsexec does. The init has the host's ids until then, which the namespace
// may not map, and its re-execution would drop the capabilities of a process
// that is no one there. (After the clone: clone3 checks CLONE_INTO_CGROUP's
// permission with the caller's ids.)
absl::Status BecomeRootOfJoinedUserNamespace(absl::Span<const nsenter::NamespaceJoin> joins) {
  for (const nsenter::NamespaceJoin& join : joins) {
    if (join.type != nsenter::NamespaceType::kUser) continue;
    if (setresgid(0, 0, 0) != 0) return ErrnoStatus("setresgid(0) in ", join.path);
    if (setresuid(0, 0, 0) != 0) return ErrnoStatus("setresuid(0) in ", join.path);
  }
  return absl::OkStatus();
}

// The init's clone when namespaces must be joined before it
// (NamespacePlan::joins_before_clone, as runc's nsexec stage 1): an
// intermediate process joins them, clones the init as the caller's child
// (CLONE_PARENT), sends the caller the init's pid and pidfd, and exits; the
// caller reaps it. In the init, returns as Clone does in a child.
absl::StatusOr<nsenter::ClonedProcess> CloneAfterJoins(
    nsenter::ProcessCloner& cloner, absl::Span<const nsenter::NamespaceJoin> joins,
    nsenter::CloneOptions options) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return ErrnoStatus("socketpair for the intermediate process");
  }
  UniqueFd ours(pair[0]), theirs(pair[1]);
  ASSIGN_OR_RETURN(nsenter::ClonedProcess intermediate, cloner.Clone({}));
  if (intermediate.in_child()) {
    ours.Reset();
    options.as_sibling = true;
    const absl::Status joined = nsenter::JoinNamespaces(joins);
    absl::StatusOr<nsenter::ClonedProcess> init =
        joined.ok() ? cloner.Clone(options) : absl::StatusOr<nsenter::ClonedProcess>(joined);
    if (init.ok() && init->in_child()) {
      theirs.Reset();
      // The init has no way to report yet: the launcher sees it exit.
      if (!BecomeRootOfJoinedUserNamespace(joins).ok()) _exit(1);
      return init;
    }
    // "<pid>" with the init's pidfd, or "<status code> <message>".
    const std::string report =
        init.ok() ? absl::StrCat(init->pid)
                  : absl::StrCat(static_cast<int>(init.status().code()), " ",
                                 init.status().message());
    (void)SendWithFds(theirs.get(), report,
                      init.ok() ? std::vector<int>{init->pidfd.get()} : std::vector<int>{});
    _exit(init.ok() ? 0 : 1);
  }
  theirs.Reset();
  absl::StatusOr<ReceivedMessage> report = ReceiveWithFds(ours.get(), 4096, 1);
  siginfo_t info;
  while (waitid(P_PIDFD, intermediate.pidfd.get(), &info, WEXITED) != 0 && errno == EINTR) {
  }
  RETURN_IF_ERROR(report.status());
  int pid = 0;
  if (report->fds.size() == 1 && absl::SimpleAtoi(report->data, &pid) && pid > 0) {
    return nsenter::ClonedProcess{.pid = pid, .pidfd = std::move(report->fds.front())};
  }
  int code = 0;
  const size_t space = report->data.find(' ');
  if (space == std::string::npos || !absl::SimpleAtoi(report->data.substr(0, space), &code)) {
    return absl::InternalError("the intermediate process exited without cloning the init");
  }
  return absl::Status(static_cast<absl::StatusCode>(code),
                      absl::StrCat("before the init's clone: ", report->data.substr(space + 1)));
}

}  // namespace

absl::StatusOr<nsenter::ClonedProcess> CloneInit(nsenter::ProcessCloner& cloner,
                                                 InitContext& context,
                                                 absl::Span<const InitStep> steps,
                                                 bool as_sibling, bool sealed) {
  // A program sealed from its start (sealed_reexec.h) is its own sealed
  // binary: its clone runs the steps with no second program start.
  const bool reexec = sealed && !StartedSealed();
  UniqueFd sealed_exe;
  if (reexec) {
    RETURN_IF_ERROR(RequireContainerProcessMain());
    ASSIGN_OR_RETURN(sealed_exe, OpenSealedExe());
    context.sealed_exe_fd = sealed_exe.get();
  }
  std::optional<NonDumpableForClone> non_dumpable;
  if (sealed) {
    absl::StatusOr<NonDumpableForClone> entered = NonDumpableForClone::Enter();
    RETURN_IF_ERROR(entered.status());
    non_dumpable.emplace(*std::move(entered));
  }
  // Joined only for the clone: its destructor takes the caller back on
  // every way out of this function (the child never leaves it).
  std::optional<nsenter::ScopedPidNamespaceForChildren> pid_namespace;
  if (!context.namespaces.pid_namespace_for_clone.empty()) {
    absl::StatusOr<nsenter::ScopedPidNamespaceForChildren> entered =
        nsenter::ScopedPidNamespaceForChildren::Enter(context.namespaces.pid_namespace_for_clone);
    RETURN_IF_ERROR(entered.status());
    pid_namespace.emplace(*std::move(entered));
  }
  // An init dies with its parent (the launcher, or the program a fork server
  // serves) until it reports ready: a launcher killed midway through create
  // leaves no init waiting forever. A pidfd on the parent-to-be tells the
  // child whether the parent died before the death signal was set (getppid
  // cannot: in a new pid namespace it is 0 either way).
  UniqueFd parent;
  if (context.container_init_pidfd < 0) {
    ASSIGN_OR_RETURN(parent, nsenter::PidfdOpen(as_sibling ? getppid() : getpid()));
  }
  const nsenter::CloneOptions options{.namespace_flags = context.namespaces.clone_flags,
                                     .cgroup_fd = context.cgroup2_directory_fd,
                                     .as_sibling = as_sibling};
  absl::StatusOr<nsenter::ClonedProcess> cloned;
  if (context.namespaces.joins_before_clone.empty()) {
    cloned = cloner.Clone(options);
  } else if (as_sibling) {
    // The intermediate process would be the program's child too, which
    // nothing here could reap.
    return absl::UnimplementedError(absl::StrCat(
        "a container that joins namespaces before its init's clone (",
        nsenter::DescribeNamespacePlan(context.namespaces),
        ") cannot be created through a fork server; create it from a single-threaded process"));
  } else {
    cloned = CloneAfterJoins(cloner, context.namespaces.joins_before_clone, options);
  }
  RETURN_IF_ERROR(cloned.status());
  if (cloned->in_child()) {
    if (sealed && !reexec) ForgetStartEnvironment();
    if (parent.valid()) DieWithParent(std::move(parent));
    // A re-executed process runs the default steps (ContainerProcessMain).
    RunContainerInit(context, reexec ? absl::MakeConstSpan(&kReexecSealedStep, 1) : steps);
  }
  return cloned;
}

absl::StatusOr<nsenter::ClonedProcess> InProcessSpawner::Spawn(InitContext& context) {
  RETURN_IF_ERROR(RequireSingleThreaded());
  return CloneInit(cloner_, context, StepsFor(context, init_steps_, exec_steps_),
                   /*as_sibling=*/false, sealed_);
}

}  // namespace hull::runtime
