// How the OCI resources, shaped after cgroup v1, become cgroup v2 files: the
// conversions runc and crun agree on (the table is in docs/cgroups.md). Pure:
// no kernel access; V2Manager performs the writes.
#ifndef HULL_CGROUPS_V2_CONVERSION_H_
#define HULL_CGROUPS_V2_CONVERSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

// One write to a file of the container's cgroup v2 directory. A value of
// several lines is written one line per write(2): the kernel parses one entry
// per write.
struct V2Write {
  std::string file;
  std::string value;
  // Written instead when `file` does not exist: io.weight stands in for
  // io.bfq.weight when the BFQ scheduler is not loaded.
  std::string fallback_file;
  std::string fallback_value;
  // The kernel may lack this file, and then the write is not needed: the
  // limit holds without it (hugetlb.<size>.rsvd.max; memory.swap.max "max"
  // without swap accounting).
  bool optional = false;
  // EINVAL is not final: the same write comes again after the one that makes
  // it acceptable (cpu.max.burst around cpu.max, whichever order the kernel
  // needs to keep burst <= quota).
  bool repeated_later = false;

  bool operator==(const V2Write&) const = default;
};

// cpu.shares [2, 262144] -> cpu.weight [1, 10000]: 1 + (shares - 2) * 9999 / 262142.
uint64_t CpuSharesToWeight(uint64_t shares);

// blkio.weight [10, 1000] -> io.weight [1, 10000]: 1 + (weight - 10) * 9999 / 990.
uint64_t BlkioWeightToIoWeight(uint64_t weight);

// The OCI swap limit counts memory plus swap; memory.swap.max counts swap
// alone. runc's rules: -1 stays -1 (unlimited), 0 stays 0 (unset); an
// unlimited memory with unset swap makes swap unlimited too; with unlimited
// memory the swap value is taken as is; otherwise swap - limit, an error when
// the memory limit is unset or above the swap limit.
absl::StatusOr<int64_t> MemorySwapToV2(int64_t swap, int64_t limit);

// The controller a cgroup v2 file belongs to: "memory" for "memory.max",
// "cgroup" for the core files ("cgroup.freeze").
absl::string_view ControllerOf(absl::string_view file);

// The writes that apply `resources` to a cgroup v2 directory, in runc's order
// (pids, memory, io, cpu, cpuset, hugetlb, rdma), the raw `unified` keys last
// so that they override. Device rules are not files on v2 (device_filter.h).
// Errors: InvalidArgument for a value out of range; FailedPrecondition naming
// the JSON path and the controller for a resource cgroup v2 has no file for
// (swappiness, kernel memory, realtime, leaf weights, net_cls/net_prio, ...).
absl::StatusOr<std::vector<V2Write>> ConvertToV2(const config::Resources& resources);

// memory.checkBeforeUpdate (runc's rule): refuses a memory limit or a
// memory+swap limit at or below `usage`, the cgroup's memory.current.
absl::Status CheckMemoryBeforeUpdate(const config::Memory& memory, uint64_t usage);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V2_CONVERSION_H_
