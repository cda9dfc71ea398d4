// The container's cgroup on a cgroup v2 host: one directory of the unified
// hierarchy, its resources converted from the OCI's v1 shapes
// (v2_conversion.h), its device rules an eBPF program (device_filter.h).
#ifndef HULL_CGROUPS_V2_H_
#define HULL_CGROUPS_V2_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_filter_loader.h"
#include "cgroups/hugepage_sizes.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "cgroups/v2_conversion.h"
#include "config/runtime_spec.pb.h"
#include "base/fd.h"

namespace hull::cgroups {

struct V2Options {
  // How long Freeze and Thaw wait for cgroup.events to report the new state
  // (runc waits 10 s).
  absl::Duration freeze_timeout = absl::Seconds(10);
  // How long Destroy waits for processes that are exiting (just killed) to
  // leave the cgroup before it says the cgroup is not empty.
  absl::Duration exit_timeout = absl::Seconds(1);
  // Where the kernel lists its huge page sizes, for the hugetlb statistics.
  std::string hugepages_directory = std::string(kHugepagesDirectory);
};

class V2Manager final : public Manager {
 public:
  // The container's cgroup `directory` below the cgroup2 `mount_point`.
  // `created` is what an earlier Create of this container made
  // (CreatedPaths()[""], persisted), "" when it made nothing: Destroy removes
  // that directory and those below it down to the container's, nothing else.
  V2Manager(std::string mount_point, std::string directory, std::string created,
            std::unique_ptr<CgroupFs> fs, std::unique_ptr<DeviceFilterLoader> device_filter,
            V2Options options = {});

  // Makes the missing directories from the mount point down, first enabling
  // in each parent's cgroup.subtree_control every controller its
  // cgroup.controllers offers (as runc does, so that a later update can set
  // any resource); a controller the kernel refuses to enable is left off and
  // Apply names it when a resource needs it. An existing container directory
  // is used as is, and then is not the container's to remove. On failure,
  // removes the directories it made.
  absl::Status Create() override;

  // Writes the converted resources (v2_conversion.h, docs/cgroups.md), the
  // unified keys last. First, before any write: every file's controller must
  // be in the cgroup's cgroup.controllers (runc's "unified resource "x.y"
  // can't be set: controller "x" not available" for unified keys), and with
  // memory.checkBeforeUpdate the new limits must exceed memory.current.
  // Non-empty linux.resources.devices become the cgroup's device filter,
  // replacing the previous one; an empty list leaves the filter as it is
  // (callers pass the full list: the spec's rules plus DefaultDeviceRules()).
  absl::Status Apply(const config::Resources& resources) override;

  // Writes `pid` to cgroup.procs.
  absl::Status AddProcess(pid_t pid) override;

  // The cgroup directory; no v1 tasks files.
  absl::StatusOr<CloneTargets> OpenCloneTargets(const SubCgroups& below) override;

  // cgroup.freeze "1" / "0", then waits (options.freeze_timeout) for
  // cgroup.events to say "frozen 1" / "frozen 0". A freeze that times out
  // is undone (thawed) and is DeadlineExceeded.
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  // Whether cgroup.freeze asks for frozen (the container is paused).
  absl::StatusOr<bool> IsFrozen() override;

  // cgroup.procs of the container's cgroup and every cgroup below it.
  absl::StatusOr<std::vector<pid_t>> Processes() override;

  // SIGKILL: one write to cgroup.kill (kernel >= 5.14). Otherwise, as runc:
  // freezes the cgroup (unless it is frozen already), signals every process,
  // then thaws it (unless it was frozen), so that no process forks away from
  // the signal.
  absl::Status Signal(int signal) override;

  // As runc reports v2 statistics: cpu.stat (usec as ns), memory.current,
  // .max, .peak, .stat, memory.swap.* (reported as memory plus swap, as v1
  // does), memory.events "max" as the failure count, pids.current/max,
  // io.stat (rbytes/wbytes as service bytes, rios/wios as serviced),
  // hugetlb.<size>.current and .events "max", and the *.pressure files.
  // Files of a controller the cgroup does not have are left out.
  absl::StatusOr<Stats> GetStats() override;

  // Removes the container's directory, the cgroups below it (made by the
  // container's own processes) and the parents Create made, deepest first; a
  // parent that another container now uses as well stays. Nothing when Create
  // made nothing. FailedPrecondition "container's cgroup is not empty" while
  // processes remain (after options.exit_timeout for exiting ones).
  absl::Status Destroy() override;

  // {"": directory}.
  std::map<std::string, std::string> Paths() const override;
  // {"": the topmost directory Create made}, or {} when it made none.
  std::map<std::string, std::string> CreatedPaths() const override;

 private:
  std::string File(absl::string_view name) const;
  absl::Status EnableControllers(const std::string& cgroup);
  absl::Status CheckControllers(const config::Resources& resources,
                                const std::vector<V2Write>& writes);
  absl::Status Write(const V2Write& write);
  absl::Status SetFrozen(bool frozen);

  std::unique_ptr<CgroupFs> fs_;
  std::unique_ptr<DeviceFilterLoader> device_filter_;
  const std::string mount_point_;
  const std::string directory_;
  std::string created_;
  const V2Options options_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V2_H_
