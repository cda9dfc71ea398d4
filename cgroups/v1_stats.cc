#include "cgroups/v1_stats.h"

#include <unistd.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "cgroups/hugepage_sizes.h"
#include "cgroups/stat_files.h"
#include "google/protobuf/repeated_field.h"

namespace hull::cgroups {
namespace {

absl::Status ReadCpu(CgroupFs& fs, const std::string& dir, Stats& stats) {
  const std::string file = CgroupFile(dir, "cpu.stat");
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
  ASSIGN_OR_RETURN(auto values, ParseKeyValues(text, file));
  Throttling& throttling = *stats.mutable_cpu()->mutable_throttling();
  throttling.set_periods(values["nr_periods"]);
  throttling.set_throttled_periods(values["nr_throttled"]);
  throttling.set_throttled_time(values["throttled_time"]);
  return absl::OkStatus();
}

absl::Status ReadCpuacct(CgroupFs& fs, const std::string& dir, Stats& stats) {
  CpuUsage& usage = *stats.mutable_cpu()->mutable_usage();
  ASSIGN_OR_RETURN(uint64_t total, ReadUintFile(fs, CgroupFile(dir, "cpuacct.usage")));
  usage.set_total(total);
  const std::pair<const char*, google::protobuf::RepeatedField<uint64_t>*> per_cpu[] = {
      {"cpuacct.usage_percpu", usage.mutable_percpu()},
      {"cpuacct.usage_percpu_sys", usage.mutable_percpu_kernel()},
      {"cpuacct.usage_percpu_user", usage.mutable_percpu_user()},
  };
  for (const auto& [name, field] : per_cpu) {
    const std::string file = CgroupFile(dir, name);
    ASSIGN_OR_RETURN(const std::optional<std::string> text, ReadOptionalFile(fs, file));
    if (!text) continue;  // older kernels: totals only
    ASSIGN_OR_RETURN(std::vector<uint64_t> values, ParseUintList(*text, file));
    field->Add(values.begin(), values.end());
  }
  // cpuacct.stat counts clock ticks; runc reports nanoseconds.
  const std::string stat_file = CgroupFile(dir, "cpuacct.stat");
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(stat_file));
  ASSIGN_OR_RETURN(auto ticks, ParseKeyValues(text, stat_file));
  const long ticks_per_second = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
  const uint64_t nanoseconds_per_tick = 1000000000 / static_cast<uint64_t>(ticks_per_second);
  usage.set_user(ticks["user"] * nanoseconds_per_tick);
  usage.set_kernel(ticks["system"] * nanoseconds_per_tick);
  return absl::OkStatus();
}

absl::Status ReadCpuset(CgroupFs& fs, const std::string& dir, Stats& stats) {
  CpuSet& out = *stats.mutable_cpuset();
  for (const auto& [name, field] : {std::pair{"cpuset.cpus", out.mutable_cpus()},
                                    std::pair{"cpuset.mems", out.mutable_mems()}}) {
    const std::string file = CgroupFile(dir, name);
    ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
    ASSIGN_OR_RETURN(std::vector<uint32_t> list, ParseCpuList(text, file));
    field->Add(list.begin(), list.end());
  }
  const std::pair<const char*, void (CpuSet::*)(uint64_t)> flags[] = {
      {"cpuset.cpu_exclusive", &CpuSet::set_cpu_exclusive},
      {"cpuset.mem_hardwall", &CpuSet::set_mem_hardwall},
      {"cpuset.mem_exclusive", &CpuSet::set_mem_exclusive},
      {"cpuset.memory_migrate", &CpuSet::set_memory_migrate},
      {"cpuset.memory_spread_page", &CpuSet::set_memory_spread_page},
      {"cpuset.memory_spread_slab", &CpuSet::set_memory_spread_slab},
      {"cpuset.memory_pressure", &CpuSet::set_memory_pressure},
      {"cpuset.sched_load_balance", &CpuSet::set_sched_load_balance},
  };
  for (const auto& [name, setter] : flags) {
    ASSIGN_OR_RETURN(uint64_t value, ReadUintFile(fs, CgroupFile(dir, name)));
    (out.*setter)(value);
  }
  const std::string relax_file = CgroupFile(dir, "cpuset.sched_relax_domain_level");
  ASSIGN_OR_RETURN(std::string relax, fs.ReadFile(relax_file));
  int64_t level;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(relax), &level)) {
    return absl::DataLossError(absl::StrCat("malformed ", relax_file, ": \"", relax, "\""));
  }
  out.set_sched_relax_domain_level(level);
  return absl::OkStatus();
}

// One memory counter whose <prefix>.usage_in_bytes read `usage`: the rest of
// its files.
absl::Status ReadMemoryCounter(CgroupFs& fs, const std::string& dir, absl::string_view prefix,
                               uint64_t usage, MemoryEntry& entry) {
  ASSIGN_OR_RETURN(uint64_t max,
                   ReadUintFile(fs, CgroupFile(dir, absl::StrCat(prefix, ".max_usage_in_bytes"))));
  ASSIGN_OR_RETURN(uint64_t failcnt,
                   ReadUintFile(fs, CgroupFile(dir, absl::StrCat(prefix, ".failcnt"))));
  ASSIGN_OR_RETURN(uint64_t limit,
                   ReadUintFile(fs, CgroupFile(dir, absl::StrCat(prefix, ".limit_in_bytes"))));
  entry.set_usage(usage);
  entry.set_max(max);
  entry.set_failcnt(failcnt);
  entry.set_limit(limit);
  return absl::OkStatus();
}

absl::Status ReadMemory(CgroupFs& fs, const std::string& dir, Stats& stats) {
  Memory& out = *stats.mutable_memory();
  const std::string stat_file = CgroupFile(dir, "memory.stat");
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(stat_file));
  ASSIGN_OR_RETURN(auto raw, ParseKeyValues(text, stat_file));
  out.mutable_raw()->insert(raw.begin(), raw.end());
  out.set_cache(raw["cache"]);
  ASSIGN_OR_RETURN(uint64_t usage, ReadUintFile(fs, CgroupFile(dir, "memory.usage_in_bytes")));
  RETURN_IF_ERROR(ReadMemoryCounter(fs, dir, "memory", usage, *out.mutable_usage()));
  // The memory+swap, kernel and kernel TCP counters are optional in the
  // kernel.
  const std::pair<const char*, MemoryEntry*> optional_counters[] = {
      {"memory.memsw", out.mutable_swap()},
      {"memory.kmem", out.mutable_kernel()},
      {"memory.kmem.tcp", out.mutable_kernel_tcp()},
  };
  for (const auto& [prefix, entry] : optional_counters) {
    const std::string usage_file = CgroupFile(dir, absl::StrCat(prefix, ".usage_in_bytes"));
    ASSIGN_OR_RETURN(const std::optional<std::string> usage_text, ReadOptionalFile(fs, usage_file));
    if (!usage_text) continue;
    ASSIGN_OR_RETURN(uint64_t counter_usage, ParseUint(*usage_text, usage_file));
    RETURN_IF_ERROR(ReadMemoryCounter(fs, dir, prefix, counter_usage, *entry));
  }
  return absl::OkStatus();
}

absl::Status ReadPids(CgroupFs& fs, const std::string& dir, Stats& stats) {
  ASSIGN_OR_RETURN(uint64_t current, ReadUintFile(fs, CgroupFile(dir, "pids.current")));
  ASSIGN_OR_RETURN(uint64_t limit, ReadUintFile(fs, CgroupFile(dir, "pids.max")));
  stats.mutable_pids()->set_current(current);
  // "max" is reported as 0, as runc does.
  stats.mutable_pids()->set_limit(limit == std::numeric_limits<uint64_t>::max() ? 0 : limit);
  return absl::OkStatus();
}

// The entries of a blkio statistics file into `field`; none when the kernel
// lacks the file (`text` nullopt).
absl::Status AddBlkioEntries(const std::optional<std::string>& text, const std::string& file,
                             google::protobuf::RepeatedPtrField<BlkioEntry>& field) {
  if (!text) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<BlkioEntry> entries, ParseBlkioEntries(*text, file));
  for (BlkioEntry& entry : entries) *field.Add() = std::move(entry);
  return absl::OkStatus();
}

absl::Status ReadBlkio(CgroupFs& fs, const std::string& dir, Stats& stats) {
  // The CFQ statistics, else BFQ's, else the throttling layer's (which
  // counts every I/O but only bytes and operations), as runc chooses: the
  // first whose io_service_bytes_recursive the kernel has.
  std::string prefix;
  std::string service_bytes_file;
  std::optional<std::string> service_bytes;
  for (const char* candidate : {"blkio.", "blkio.bfq.", "blkio.throttle."}) {
    prefix = candidate;
    service_bytes_file = CgroupFile(dir, absl::StrCat(prefix, "io_service_bytes_recursive"));
    ASSIGN_OR_RETURN(service_bytes, ReadOptionalFile(fs, service_bytes_file));
    if (service_bytes) break;
  }
  Blkio& out = *stats.mutable_blkio();
  RETURN_IF_ERROR(AddBlkioEntries(service_bytes, service_bytes_file,
                                  *out.mutable_io_service_bytes_recursive()));
  const std::pair<const char*, google::protobuf::RepeatedPtrField<BlkioEntry>*> files[] = {
      {"io_serviced_recursive", out.mutable_io_serviced_recursive()},
      {"io_queued_recursive", out.mutable_io_queue_recursive()},
      {"io_service_time_recursive", out.mutable_io_service_time_recursive()},
      {"io_wait_time_recursive", out.mutable_io_wait_time_recursive()},
      {"io_merged_recursive", out.mutable_io_merged_recursive()},
      {"time_recursive", out.mutable_io_time_recursive()},
      {"sectors_recursive", out.mutable_sectors_recursive()},
  };
  for (const auto& [name, field] : files) {
    const std::string file = CgroupFile(dir, absl::StrCat(prefix, name));
    ASSIGN_OR_RETURN(const std::optional<std::string> text, ReadOptionalFile(fs, file));
    RETURN_IF_ERROR(AddBlkioEntries(text, file, *field));
  }
  return absl::OkStatus();
}

absl::Status ReadHugetlb(CgroupFs& fs, const std::string& dir,
                         const std::vector<std::string>& sizes, Stats& stats) {
  for (const std::string& size : sizes) {
    const std::string prefix = CgroupFile(dir, absl::StrCat("hugetlb.", size));
    Hugetlb entry;
    ASSIGN_OR_RETURN(uint64_t usage, ReadUintFile(fs, prefix + ".usage_in_bytes"));
    ASSIGN_OR_RETURN(uint64_t max, ReadUintFile(fs, prefix + ".max_usage_in_bytes"));
    ASSIGN_OR_RETURN(uint64_t failcnt, ReadUintFile(fs, prefix + ".failcnt"));
    entry.set_usage(usage);
    entry.set_max(max);
    entry.set_failcnt(failcnt);
    (*stats.mutable_hugetlb())[size] = entry;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Stats> ReadV1Stats(CgroupFs& fs, const std::vector<CgroupDirectory>& directories,
                                  const std::string& hugepages_directory) {
  Stats stats;
  const std::pair<const char*, absl::Status (*)(CgroupFs&, const std::string&, Stats&)> readers[] =
      {{"cpu", ReadCpu},       {"cpuacct", ReadCpuacct}, {"cpuset", ReadCpuset},
       {"memory", ReadMemory}, {"pids", ReadPids},       {"blkio", ReadBlkio}};
  for (const auto& [controller, read] : readers) {
    const CgroupDirectory* directory = FindController(directories, controller);
    if (directory != nullptr) RETURN_IF_ERROR(read(fs, directory->path, stats));
  }
  // The huge page sizes are listed only when the controller is there.
  const CgroupDirectory* hugetlb = FindController(directories, "hugetlb");
  if (hugetlb != nullptr) {
    ASSIGN_OR_RETURN(const std::vector<std::string> sizes, HugePageSizes(fs, hugepages_directory));
    RETURN_IF_ERROR(ReadHugetlb(fs, hugetlb->path, sizes, stats));
  }
  return stats;
}

}  // namespace hull::cgroups
