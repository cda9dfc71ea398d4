// How a container's processes come to exist: its init, a child of the
// caller cloned into the container's new namespaces and cgroup, running the
// init's steps until it execs the container's process; and a process `exec`
// starts in it, cloned into its cgroup, which joins its namespaces.
//
// A clone copies only the calling thread: a lock another thread held at that
// moment (malloc's, glog's, any library's) stays locked forever in the child,
// and the init allocates freely. So an init is cloned only from a
// single-threaded process: the caller itself when it is (the `hull` CLI), or
// else a fork server (fork_server.h) that the program started while it still
// was.
#ifndef HULL_RUNTIME_SPAWN_INIT_SPAWNER_H_
#define HULL_RUNTIME_SPAWN_INIT_SPAWNER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nsenter/clone.h"
#include "runtime/init/container_init.h"

namespace hull::runtime {

class InitSpawner {
 public:
  virtual ~InitSpawner() = default;

  // Starts the init of `context` (or, when context.container_init_pidfd is
  // valid, an exec'd process): a child of the caller, born in the namespaces
  // `context.namespaces` creates (and in the pid namespace it joins), in the
  // cgroup2 directory `context.cgroup2_directory_fd` when valid, with the
  // caller's fds 0 to 2 + context.preserve_fds, running the init's (the
  // exec's) steps. Returns, in the caller only, its pid and a pidfd.
  virtual absl::StatusOr<nsenter::ClonedProcess> Spawn(InitContext& context) = 0;
};

// FailedPrecondition naming the thread count and the way out (a fork
// server) when the calling process has more than one thread.
absl::Status RequireSingleThreaded();

// Clones the init straight from the calling process, which must be
// single-threaded (checked at every Spawn).
class InProcessSpawner final : public InitSpawner {
 public:
  // Inits run the default steps, from a sealed copy of the program's binary
  // (sealed_reexec.h: the program calls ContainerProcessMain, or was sealed
  // from its start). `cloner` must outlive the spawner.
  explicit InProcessSpawner(nsenter::ProcessCloner& cloner)
      : cloner_(cloner),
        init_steps_(DefaultInitSteps()),
        exec_steps_(DefaultExecSteps()),
        sealed_(true) {}

  // Inits run `init_steps`, exec'd processes `exec_steps`, in the clone
  // itself (tests give slices or inject failures: a function of theirs
  // cannot cross an execve). The steps must outlive the spawner.
  InProcessSpawner(nsenter::ProcessCloner& cloner, absl::Span<const InitStep> init_steps,
                   absl::Span<const InitStep> exec_steps = DefaultExecSteps())
      : cloner_(cloner), init_steps_(init_steps), exec_steps_(exec_steps), sealed_(false) {}

  absl::StatusOr<nsenter::ClonedProcess> Spawn(InitContext& context) override;

 private:
  nsenter::ProcessCloner& cloner_;
  absl::Span<const InitStep> init_steps_;
  absl::Span<const InitStep> exec_steps_;
  bool sealed_;
};

// The steps `context` runs: `exec_steps` for an exec'd process.
inline absl::Span<const InitStep> StepsFor(const InitContext& context,
                                           absl::Span<const InitStep> init_steps,
                                           absl::Span<const InitStep> exec_steps) {
  return context.container_init_pidfd >= 0 ? exec_steps : init_steps;
}

// Clones an init with `cloner` (as_sibling for a fork server) and runs
// `steps` in it. When `sealed` (the steps are the default ones), the clone is
// non-dumpable, and it re-executes from a sealed copy of the binary first
// unless the caller runs from one already (StartedSealed): the part both
// spawners share, in a process that is single-threaded. Never returns in the
// child.
absl::StatusOr<nsenter::ClonedProcess> CloneInit(nsenter::ProcessCloner& cloner,
                                                 InitContext& context,
                                                 absl::Span<const InitStep> steps,
                                                 bool as_sibling, bool sealed);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_SPAWN_INIT_SPAWNER_H_
