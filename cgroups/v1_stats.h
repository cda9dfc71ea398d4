// The statistics of the container's cgroup v1 directories (v1_directories.h)
// in runc's shape, as runc's fs driver reads them.
#ifndef HULL_CGROUPS_V1_STATS_H_
#define HULL_CGROUPS_V1_STATS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/stats.pb.h"
#include "cgroups/v1_directories.h"

namespace hull::cgroups {

// Reads, of each controller mounted (the others are left out):
// - cpu: cpu.stat's nr_periods, nr_throttled, throttled_time;
// - cpuacct: cpuacct.usage, the usage_percpu{,_sys,_user} lists where the
//   kernel has them, cpuacct.stat's user and system (ticks as ns);
// - cpuset: cpus, mems, the flags and sched_relax_domain_level;
// - memory: memory.stat as raw (its "cache" as cache), and the usage, max
//   usage, failcnt and limit of memory, memory.memsw, memory.kmem and
//   memory.kmem.tcp (the last three where the kernel has them);
// - pids: pids.current, pids.max ("max" as 0);
// - blkio: the *_recursive files of CFQ, else BFQ, else the throttling
//   layer, whichever the kernel has;
// - hugetlb: usage, max usage and failcnt of each size listed in
//   `hugepages_directory` (hugepage_sizes.h).
absl::StatusOr<Stats> ReadV1Stats(CgroupFs& fs, const std::vector<CgroupDirectory>& directories,
                                  const std::string& hugepages_directory);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_STATS_H_
