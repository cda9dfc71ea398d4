// Lists of CPUs or NUMA nodes as the kernel's cpuset files print them
// ("0-3,5,7-8"): linux.resources.cpu.cpus and .mems, linux.memoryPolicy.nodes,
// process.execCPUAffinity.
#ifndef HULL_CONFIG_CPU_LIST_H_
#define HULL_CONFIG_CPU_LIST_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::config {

// An inclusive range of CPU or node numbers.
struct CpuRange {
  uint32_t first = 0;
  uint32_t last = 0;

  bool operator==(const CpuRange&) const = default;
};

// The ranges of `list`, in its order; InvalidArgument naming the list for
// anything but comma-separated decimals and ascending ranges.
absl::StatusOr<std::vector<CpuRange>> ParseCpuList(absl::string_view list);

// `list` as the kernel's bit mask (sched_setaffinity, set_mempolicy): bit i
// of word i / 64 set for each number i of the list. InvalidArgument as
// ParseCpuList's, or for a number of `limit` or more.
absl::StatusOr<std::vector<uint64_t>> CpuListMask(absl::string_view list, uint32_t limit);

}  // namespace hull::config

#endif  // HULL_CONFIG_CPU_LIST_H_
