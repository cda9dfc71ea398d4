// The container's cgroups, whatever the host's layout (v1, v2 or hybrid):
// one interface, a v1 and a v2 implementation (v1.h, v2.h), chosen by
// NewManager (factory.h) from the host's layout.
#ifndef HULL_CGROUPS_MANAGER_H_
#define HULL_CGROUPS_MANAGER_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/mountinfo.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "base/fd.h"

namespace hull::cgroups {

// How a process to be cloned gets into the container's cgroups without
// anyone moving it: moving another process takes a global lock whose first
// taker after a quiet spell waits for an RCU grace period (5 to 20 ms).
struct CloneTargets {
  // The container's cgroup2 directory, to be born in (CLONE_INTO_CGROUP);
  // invalid when the host has none (cgroup v1 alone).
  UniqueFd cgroup2_directory;
  // The `tasks` files of its v1 cgroups, open for writing: the new process
  // joins them by writing "0" (a thread moving itself skips that lock).
  std::vector<UniqueFd> v1_tasks_files;
  // The container has no cgroup yet (the systemd driver's scope starts
  // around its first process, cgroups/systemd/systemd_manager.h): the
  // process is cloned where the caller is, and the caller calls AddProcess
  // with its pid before the process runs anything of the container's.
  bool join_by_add_process = false;
  // v1 and hybrid: the host's cgroup mounts as the launcher read them
  // (Layout::cgroup_mounts), valid while the manager lives: a new init's
  // cgroup mount finds the hierarchies there instead of reading and parsing
  // /proc/self/mountinfo again (its mount namespace is a copy of the
  // launcher's). Empty otherwise.
  absl::Span<const MountInfo> host_cgroup_mounts;
};

// Controller ("" for all) to a cgroup path relative to the container's.
using SubCgroups = std::map<std::string, std::string>;

// `directory`/`relative`, refusing a relative path that is absolute or leaves
// `directory` ("..").
absl::StatusOr<std::string> CgroupBelow(const std::string& directory, const std::string& relative);

class Manager {
 public:
  virtual ~Manager() = default;

  // Makes the container's cgroup directories (and missing parents; on v2,
  // enabling the controllers it needs in the parents' cgroup.subtree_control).
  // Remembers which directories it made: Destroy removes only those.
  virtual absl::Status Create() = 0;

  // Applies `resources` (at create, and for `update`). A resource the host
  // cannot apply is an error naming the controller, never silently dropped.
  virtual absl::Status Apply(const config::Resources& resources) = 0;

  // Moves `pid`, a process that already exists, into the container's
  // cgroups (cgroup.procs; on v1 the first move after a quiet spell waits for
  // an RCU grace period). Hull's own processes use OpenCloneTargets instead.
  virtual absl::Status AddProcess(pid_t pid) = 0;

  // What a process to be cloned into the container's cgroups needs; with
  // `below`, into existing cgroups below them (runc's `exec --cgroup`):
  // controller ("" for every hierarchy; on cgroup v2 only "") to a path
  // relative to the container's cgroup. A path that leaves it is
  // InvalidArgument; a controller the container has no cgroup of, NotFound.
  virtual absl::StatusOr<CloneTargets> OpenCloneTargets(const SubCgroups& below) = 0;

  // Freezes or thaws every process of the container, returning once the
  // kernel reports the cgroup frozen (thawed).
  virtual absl::Status Freeze() = 0;
  virtual absl::Status Thaw() = 0;
  virtual absl::StatusOr<bool> IsFrozen() = 0;

  // Host pids of every process in the container's cgroups, recursively.
  virtual absl::StatusOr<std::vector<pid_t>> Processes() = 0;

  // Sends `signal` to every process of the container (cgroup.kill on v2 for
  // SIGKILL where the kernel has it).
  virtual absl::Status Signal(int signal) = 0;

  virtual absl::StatusOr<Stats> GetStats() = 0;

  // Removes the directories Create made, deepest first. FailedPrecondition
  // "container's cgroup is not empty" while processes remain.
  virtual absl::Status Destroy() = 0;

  // Controller ("memory", "cpu", ...; "" for the unified hierarchy) to the
  // container's cgroup directory: persisted in the container's state, so that
  // a later command gets the same Manager back (factory.h).
  virtual std::map<std::string, std::string> Paths() const = 0;

  // What Create made, per key of Paths(): the topmost directory it had to
  // create; that directory and every one below it down to the container's
  // are the container's own. A key is absent when the container's directory
  // existed already. Persisted beside Paths() (factory.h rebuilds a Manager
  // from both), so that a later command's Destroy removes only these.
  virtual std::map<std::string, std::string> CreatedPaths() const = 0;

  // The systemd unit whose cgroup is the container's (the systemd driver,
  // cgroups/systemd/systemd_manager.h); "" for cgroupfs. Persisted beside
  // Paths(): a later command gets a manager that stops the unit at Destroy
  // (ManagerFactory::RestoreSystemd).
  virtual std::string SystemdUnit() const { return ""; }
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_MANAGER_H_
