// The Manager of a container that has no cgroup of its own: a rootless
// container whose user may not make one (no delegated cgroup v2 subtree) and
// that asks for no limits, which runc runs without cgroups too. Its
// processes stay in the cgroups of the user who started it.
#ifndef HULL_CGROUPS_NO_CGROUP_MANAGER_H_
#define HULL_CGROUPS_NO_CGROUP_MANAGER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/manager.h"

namespace hull::cgroups {

// Makes and removes nothing and holds no process (the container's processes
// are found through its pid namespace, or its init, instead). What needs a
// cgroup (resources other than device rules, freezing, stats) is
// FailedPrecondition, saying that the container has none.
class NoCgroupManager final : public Manager {
 public:
  absl::Status Create() override { return absl::OkStatus(); }
  absl::Status Apply(const config::Resources& resources) override;
  absl::Status AddProcess(pid_t) override { return absl::OkStatus(); }
  absl::StatusOr<CloneTargets> OpenCloneTargets(const SubCgroups& below) override;
  absl::Status Freeze() override;
  absl::Status Thaw() override { return absl::OkStatus(); }
  absl::StatusOr<bool> IsFrozen() override { return false; }
  absl::StatusOr<std::vector<pid_t>> Processes() override { return std::vector<pid_t>(); }
  absl::Status Signal(int) override { return absl::OkStatus(); }
  absl::StatusOr<Stats> GetStats() override;
  absl::Status Destroy() override { return absl::OkStatus(); }
  std::map<std::string, std::string> Paths() const override { return {}; }
  std::map<std::string, std::string> CreatedPaths() const override { return {}; }
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_NO_CGROUP_MANAGER_H_
