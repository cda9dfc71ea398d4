// The OCI resources written to the container's cgroup v1 directories
// (v1_directories.h): each controller's files, as runc's fs driver writes
// them.
#ifndef HULL_CGROUPS_V1_RESOURCES_H_
#define HULL_CGROUPS_V1_RESOURCES_H_

#include <vector>

#include "absl/status/status.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/v1_directories.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

// Writes every resource to its controller's files in `directories`, in
// runc's order (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls,
// net_prio, rdma). Before any write, every requested resource is checked
// against the host: an unmounted controller or a knob this kernel lacks is
// FailedPrecondition naming the controller ("... not supported"), a value
// out of range InvalidArgument naming its JSON path; `unified` is refused.
// Device rules: "a" is denied, then each rule is written in order to
// devices.allow or devices.deny (the config carries the defaults).
absl::Status ApplyV1Resources(CgroupFs& fs, const std::vector<CgroupDirectory>& directories,
                              const config::Resources& resources);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_RESOURCES_H_
