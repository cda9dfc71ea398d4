// How a `type: cgroup` mount is made, from the host's cgroup layout (as
// runc does it):
// - a cgroup v2 host: a cgroup2 filesystem at the destination, or, in a
//   user namespace without a cgroup namespace of its own (which may not
//   mount one), a bind of the host's /sys/fs/cgroup;
// - a cgroup v1 or hybrid host: a tmpfs at the destination holding one
//   entry per hierarchy mounted under /sys/fs/cgroup: a recursive bind of
//   the process's own cgroup directory of that hierarchy, or (with a cgroup
//   namespace) a fresh mount of the hierarchy; "cpu,cpuacct" gets "cpu" and
//   "cpuacct" symlinks; with "ro" the tmpfs is made read-only at the end.
#ifndef HULL_RUNTIME_ROOTFS_CGROUP_MOUNT_H_
#define HULL_RUNTIME_ROOTFS_CGROUP_MOUNT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/mountinfo.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::rootfs {

struct CgroupMountPlan {
  std::vector<PlannedMount> mounts;  // in order
  struct Symlink {
    std::string target;
    std::string path;  // inside the container
  };
  std::vector<Symlink> symlinks;
  // Remount the tmpfs at the destination read-only after the rest.
  bool read_only_tmpfs = false;
};

// Where the host mounts its cgroup hierarchies.
inline constexpr char kHostCgroupRoot[] = "/sys/fs/cgroup";

// `mount` is a kCgroup mount, on a cgroup v2 host (kHostCgroupRoot is a
// cgroup2 mount): what it needs of the host is known without reading a file.
CgroupMountPlan PlanUnifiedCgroupMount(const PlannedMount& mount);

// `mount` is a kCgroup mount, on a cgroup v1 or hybrid host; `host_mounts` is
// the caller's /proc/self/mountinfo (or its cgroup lines, which are all it
// reads) and `own_cgroups` its /proc/self/cgroup.
absl::StatusOr<CgroupMountPlan> PlanSplitCgroupMount(const PlannedMount& mount,
                                                     absl::Span<const MountInfo> host_mounts,
                                                     absl::string_view own_cgroups);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_CGROUP_MOUNT_H_
