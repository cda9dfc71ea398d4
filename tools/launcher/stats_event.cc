#include "tools/launcher/stats_event.h"

#include "absl/container/flat_hash_set.h"
#include "config/json_writer.h"
#include "google/protobuf/descriptor.h"
#include "tools/launcher/event.pb.h"

namespace hull::launcher {
namespace {

// The fields runc prints even when zero (the ALWAYS ones of
// cgroups/stats.proto): in runc's types/events.go, those without
// `json:",omitempty"`, and struct-valued ones (Go never omits a struct; the
// pointer-valued psi, l3_cache_info, mem_bw_info, mbm_stats and cmt_stats
// are omitted when unset).
bool IsPrintedByRuncEvenWhenZero(const google::protobuf::FieldDescriptor& field) {
  static const auto* const kAlways = new absl::flat_hash_set<std::string>{
      "hull.launcher.Event.type",
      "hull.launcher.Event.id",
      "hull.cgroups.Stats.cpu",
      "hull.cgroups.Stats.cpuset",
      "hull.cgroups.Stats.memory",
      "hull.cgroups.Stats.pids",
      "hull.cgroups.Stats.blkio",
      "hull.cgroups.Stats.hugetlb",
      "hull.cgroups.Stats.intel_rdt",
      "hull.cgroups.Stats.network_interfaces",
      "hull.cgroups.PsiStats.some",
      "hull.cgroups.PsiStats.full",
      "hull.cgroups.PsiData.avg10",
      "hull.cgroups.PsiData.avg60",
      "hull.cgroups.PsiData.avg300",
      "hull.cgroups.PsiData.total",
      "hull.cgroups.Cpu.usage",
      "hull.cgroups.Cpu.throttling",
      "hull.cgroups.CpuUsage.kernel",
      "hull.cgroups.CpuUsage.user",
      "hull.cgroups.CpuSet.cpu_exclusive",
      "hull.cgroups.CpuSet.mem_hardwall",
      "hull.cgroups.CpuSet.mem_exclusive",
      "hull.cgroups.CpuSet.memory_migrate",
      "hull.cgroups.CpuSet.memory_spread_page",
      "hull.cgroups.CpuSet.memory_spread_slab",
      "hull.cgroups.CpuSet.memory_pressure",
      "hull.cgroups.CpuSet.sched_load_balance",
      "hull.cgroups.CpuSet.sched_relax_domain_level",
      "hull.cgroups.MemoryEntry.limit",
      "hull.cgroups.MemoryEntry.failcnt",
      "hull.cgroups.Memory.usage",
      "hull.cgroups.Memory.swap",
      "hull.cgroups.Memory.kernel",
      "hull.cgroups.Memory.kernel_tcp",
      "hull.cgroups.Hugetlb.failcnt",
      "hull.cgroups.MbmNumaNodeStats.mbm_total_bytes",
      "hull.cgroups.MbmNumaNodeStats.mbm_local_bytes",
      "hull.cgroups.CmtNumaNodeStats.llc_occupancy",
      "hull.cgroups.NetworkInterface.name",
      "hull.cgroups.NetworkInterface.rx_bytes",
      "hull.cgroups.NetworkInterface.rx_packets",
      "hull.cgroups.NetworkInterface.rx_errors",
      "hull.cgroups.NetworkInterface.rx_dropped",
      "hull.cgroups.NetworkInterface.tx_bytes",
      "hull.cgroups.NetworkInterface.tx_packets",
      "hull.cgroups.NetworkInterface.tx_errors",
      "hull.cgroups.NetworkInterface.tx_dropped",
  };
  return kAlways->contains(field.full_name());
}

}  // namespace

absl::StatusOr<std::string> StatsEventLine(const std::string& id, const cgroups::Stats& stats) {
  Event event;
  event.set_type("stats");
  event.set_id(id);
  *event.mutable_data() = stats;
  return config::MessageToJson(event,
                               {.compact = true, .always_written = IsPrintedByRuncEvenWhenZero});
}

absl::StatusOr<std::string> OomEventLine(const std::string& id) {
  Event event;
  event.set_type("oom");
  event.set_id(id);
  return config::MessageToJson(event,
                               {.compact = true, .always_written = IsPrintedByRuncEvenWhenZero});
}

}  // namespace hull::launcher
