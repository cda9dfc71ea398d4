// The container's cgroups on a host whose controllers are cgroup v1 (the v1
// and hybrid layouts): one directory per hierarchy, plus, on a hybrid host,
// one at the same place in the cgroup2 hierarchy at <root>/unified, which
// holds no controller the container uses but gives it a cgroup v2 identity
// (cgroup.events, the process's "0::" line), as runc's hybrid mode does.
#ifndef HULL_CGROUPS_V1_H_
#define HULL_CGROUPS_V1_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/mountinfo.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/hugepage_sizes.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "cgroups/v1_directories.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

struct V1Options {
  // Where the kernel lists its huge page sizes, for the hugetlb statistics.
  std::string hugepages_directory = std::string(kHugepagesDirectory);
  // The host's cgroup mounts (Layout::cgroup_mounts), which OpenCloneTargets
  // passes on.
  std::vector<MountInfo> host_cgroup_mounts;
};

class V1Manager final : public Manager {
 public:
  V1Manager(std::vector<CgroupDirectory> directories, std::unique_ptr<CgroupFs> fs,
            V1Options options = {});

  // Makes the directories; a new cpuset cgroup gets its parent's cpus and
  // mems (the kernel leaves them empty, and no process could join it). On
  // failure what it made is removed again.
  absl::Status Create() override;
  // ApplyV1Resources (v1_resources.h) on the container's directories.
  absl::Status Apply(const config::Resources& resources) override;
  absl::Status AddProcess(pid_t pid) override;
  // The `tasks` file of each v1 directory; on a hybrid host also the
  // cgroup2 directory; and the options' host_cgroup_mounts.
  absl::StatusOr<CloneTargets> OpenCloneTargets(const SubCgroups& below) override;
  // freezer.state: FROZEN, then polls until the kernel reports FROZEN
  // (thawing briefly now and then, as runc does, so that a freeze racing
  // with forks completes); gives up after about a second, thawed.
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  // False when the freezer is not mounted.
  absl::StatusOr<bool> IsFrozen() override;
  // cgroup.procs of the freezer (else pids, memory, ...) directory and of
  // every cgroup below it.
  absl::StatusOr<std::vector<pid_t>> Processes() override;
  // Each process gets `signal`; for SIGKILL the cgroup is frozen first and
  // thawed after, so that no process forks away meanwhile (runc's
  // signalAllProcesses). Processes already gone are not an error.
  absl::Status Signal(int signal) override;
  // ReadV1Stats (v1_stats.h) of the container's directories.
  absl::StatusOr<Stats> GetStats() override;
  // Removes the cgroups below the container's (made by its processes) and
  // the directories Create made, deepest first, retrying a busy rmdir a few
  // times; a parent still holding another container's cgroup stays. Never
  // removes a directory Create did not make.
  absl::Status Destroy() override;
  std::map<std::string, std::string> Paths() const override;
  std::map<std::string, std::string> CreatedPaths() const override;

 private:
  absl::Status MakeDirectories(CgroupDirectory& directory, std::vector<std::string>& made);
  // Gives each empty cpuset.cpus and cpuset.mems from the hierarchy's root
  // down to the container's cgroup its parent's (runc's cpusetEnsureParent);
  // `first_made` is the topmost directory this Create made ("" for none).
  absl::Status FillEmptyCpusets(const CgroupDirectory& directory, absl::string_view first_made);
  absl::Status WriteFreezerState(absl::string_view directory, absl::string_view state);

  std::vector<CgroupDirectory> directories_;
  std::unique_ptr<CgroupFs> fs_;
  const V1Options options_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_H_
