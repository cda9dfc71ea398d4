// A cgroup v2 directory's statistics, mapped onto runc's (v1-shaped) stats
// the way runc's fs2 maps them.
#ifndef HULL_CGROUPS_V2_STATS_H_
#define HULL_CGROUPS_V2_STATS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/stats.pb.h"

namespace hull::cgroups {

// Reads `directory`'s statistics:
// - cpu.stat: usage_usec, user_usec, system_usec (as ns: total, user,
//   kernel); nr_periods, nr_throttled, throttled_usec (as ns).
// - memory.current/.max/.peak as usage; memory.events "max" (times usage hit
//   memory.max) as its failcnt, where runc leaves 0; memory.swap.current/.max
//   reported as memory plus swap, as v1's memsw (runc); memory.stat as raw,
//   its "file" as cache.
// - pids.current, pids.max ("max" as 0).
// - io.stat: rbytes/wbytes as io_service_bytes_recursive Read/Write,
//   rios/wios as io_serviced_recursive Read/Write.
// - hugetlb.<size>.current as usage, hugetlb.<size>.events "max" as failcnt,
//   for each size of `hugepage_sizes`.
// - cpu/memory/io.pressure as psi.
// A controller whose files the directory lacks (not enabled) is left out.
absl::StatusOr<Stats> ReadV2Stats(CgroupFs& fs, const std::string& directory,
                                  const std::vector<std::string>& hugepage_sizes);

// One *.pressure file: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and
// the same for "full" (pure).
absl::StatusOr<PsiStats> ParsePressure(absl::string_view text, absl::string_view file);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V2_STATS_H_
