#include "runtime/spawn/init_spawner.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
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
// clone re-executes, its memory is a copy of the caller's, which no process
// of a container may read (nor its /proc/<pid>/exe, the caller's binary,
// open). Restores the caller's dumpable flag when it goes.
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

}  // namespace

absl::StatusOr<nsenter::ClonedProcess> CloneInit(nsenter::ProcessCloner& cloner,
                                                 InitContext& context,
                                                 absl::Span<const InitStep> steps,
                                                 bool as_sibling, bool sealed) {
  UniqueFd sealed_exe;
  std::optional<NonDumpableForClone> non_dumpable;
  if (sealed) {
    RETURN_IF_ERROR(RequireContainerProcessMain());
    ASSIGN_OR_RETURN(sealed_exe, OpenSealedExe());
    context.sealed_exe_fd = sealed_exe.get();
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
  ASSIGN_OR_RETURN(nsenter::ClonedProcess cloned,
                   cloner.Clone({.namespace_flags = context.namespaces.clone_flags,
                                 .cgroup_fd = context.cgroup2_directory_fd,
                                 .as_sibling = as_sibling}));
  if (cloned.in_child()) {
    if (parent.valid()) DieWithParent(std::move(parent));
    // A re-executed process runs the default steps (ContainerProcessMain).
    RunContainerInit(context, sealed ? absl::MakeConstSpan(&kReexecSealedStep, 1) : steps);
  }
  return cloned;
}

absl::StatusOr<nsenter::ClonedProcess> InProcessSpawner::Spawn(InitContext& context) {
  RETURN_IF_ERROR(RequireSingleThreaded());
  return CloneInit(cloner_, context, StepsFor(context, init_steps_, exec_steps_),
                   /*as_sibling=*/false, sealed_);
}

}  // namespace hull::runtime
