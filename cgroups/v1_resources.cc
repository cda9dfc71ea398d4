#include "cgroups/v1_resources.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "cgroups/device_rules.h"
#include "cgroups/stat_files.h"
#include "cgroups/v2_conversion.h"
#include "google/protobuf/map.h"
#include "google/protobuf/repeated_field.h"

namespace hull::cgroups {
namespace {

// Each controller has a check and an apply. Every check runs before the
// first write, so that a request the host refuses changes nothing; it looks
// the controller up once and returns its directory, the apply's target, or
// nullopt when the request asks nothing of the controller.
using Target = std::optional<std::string>;

using Directories = std::vector<CgroupDirectory>;

absl::Status NotSupported(absl::string_view what, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(what, ": ", detail, ": not supported"));
}

absl::StatusOr<Target> Require(const Directories& directories, absl::string_view controller,
                               absl::string_view what) {
  ASSIGN_OR_RETURN(std::string directory, RequireController(directories, controller, what));
  return Target(std::move(directory));
}

bool IsBusy(const absl::Status& status) { return absl::IsFailedPrecondition(status); }

// --- cpuset -------------------------------------------------------------------

absl::StatusOr<Target> CheckCpuset(const Directories& directories, const config::Cpu& cpu) {
  if (cpu.cpus().empty() && cpu.mems().empty()) return std::nullopt;
  return Require(directories, "cpuset", "linux.resources.cpu.cpus/mems");
}

absl::Status ApplyCpuset(CgroupFs& fs, const std::string& dir, const config::Cpu& cpu) {
  if (!cpu.cpus().empty()) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "cpuset.cpus"), cpu.cpus()));
  }
  if (!cpu.mems().empty()) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "cpuset.mems"), cpu.mems()));
  }
  return absl::OkStatus();
}

// --- devices ------------------------------------------------------------------

absl::StatusOr<Target> CheckDevices(
    const Directories& directories,
    const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules) {
  for (int i = 0; i < rules.size(); ++i) RETURN_IF_ERROR(ValidateDeviceRule(rules[i], i));
  if (rules.empty()) return std::nullopt;
  return Require(directories, "devices", "linux.resources.devices");
}

absl::Status ApplyDevices(CgroupFs& fs, const std::string& dir,
                          const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules) {
  // The rules apply from nothing allowed. A first rule denying type "a" is
  // that reset itself: the kernel reads nothing of a rule after its 'a'.
  const bool starts_denying_all =
      !rules.empty() && !rules[0].allow() && (rules[0].type().empty() || rules[0].type() == "a");
  if (!starts_denying_all) RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "devices.deny"), "a"));
  // A run of rules for the same file is written through one open of it.
  for (int i = 0; i < rules.size();) {
    const bool allow = rules[i].allow();
    std::vector<std::string> run;
    for (; i < rules.size() && rules[i].allow() == allow; ++i) {
      run.push_back(DeviceRuleText(rules[i]));
    }
    RETURN_IF_ERROR(fs.WriteEach(CgroupFile(dir, allow ? "devices.allow" : "devices.deny"), run));
  }
  return absl::OkStatus();
}

// --- memory -------------------------------------------------------------------

absl::StatusOr<Target> CheckMemory(CgroupFs& fs, const Directories& directories,
                                   const config::Memory& memory) {
  // Proto3 optional fields serialize when set, even to zero: an empty
  // "memory": {} asks nothing of the controller.
  if (memory.ByteSizeLong() == 0) return std::nullopt;
  ASSIGN_OR_RETURN(std::string dir,
                   RequireController(directories, "memory", "linux.resources.memory"));
  // memory.kernel is ignored, with a warning (resource_warnings.h).
  if (memory.has_kernel_tcp() && memory.kernel_tcp() != 0 &&
      !fs.Exists(CgroupFile(dir, "memory.kmem.tcp.limit_in_bytes"))) {
    return NotSupported("linux.resources.memory.kernelTCP",
                        "this kernel has no memory.kmem.tcp.limit_in_bytes");
  }
  if (memory.has_swap() && memory.swap() != 0 && memory.swap() != -1 &&
      !fs.Exists(CgroupFile(dir, "memory.memsw.limit_in_bytes"))) {
    return NotSupported("linux.resources.memory.swap",
                        "swap accounting is off (no memory.memsw.limit_in_bytes)");
  }
  if (memory.has_swappiness() && memory.swappiness() != std::numeric_limits<uint64_t>::max() &&
      memory.swappiness() > 100) {
    return absl::InvalidArgumentError(
        absl::StrFormat("linux.resources.memory.swappiness: invalid value %d, valid memory "
                        "swappiness range is 0-100",
                        memory.swappiness()));
  }
  return Target(std::move(dir));
}

absl::Status ApplyMemory(CgroupFs& fs, const std::string& dir, const config::Memory& memory) {
  const std::string limit_file = CgroupFile(dir, "memory.limit_in_bytes");
  const std::string swap_file = CgroupFile(dir, "memory.memsw.limit_in_bytes");
  // As in runc, 0 means "not set" for the limits.
  const int64_t limit = memory.has_limit() ? memory.limit() : 0;
  int64_t swap = memory.has_swap() ? memory.swap() : 0;
  const bool swap_accounting = fs.Exists(swap_file);
  // An unlimited memory with no swap limit given makes memory+swap
  // unlimited too; without swap accounting there is nothing to write.
  if (limit == -1 && swap == 0 && swap_accounting) swap = -1;
  if (swap == -1 && !swap_accounting) swap = 0;

  if (memory.check_before_update()) {
    ASSIGN_OR_RETURN(uint64_t usage, ReadUintFile(fs, CgroupFile(dir, "memory.usage_in_bytes")));
    RETURN_IF_ERROR(CheckMemoryBeforeUpdate(memory, usage));
  }

  auto set_limit = [&]() -> absl::Status {
    if (limit == 0) return absl::OkStatus();
    absl::Status status = fs.WriteFile(limit_file, absl::StrCat(limit));
    if (!IsBusy(status)) return status;
    // EBUSY: the kernel could not reclaim down to the new limit.
    ASSIGN_OR_RETURN(uint64_t usage, ReadUintFile(fs, CgroupFile(dir, "memory.usage_in_bytes")));
    ASSIGN_OR_RETURN(uint64_t peak, ReadUintFile(fs, CgroupFile(dir, "memory.max_usage_in_bytes")));
    return absl::FailedPreconditionError(
        absl::StrFormat("unable to set memory limit to %d (current usage: %d, peak usage: %d)",
                        limit, usage, peak));
  };
  auto set_swap = [&]() -> absl::Status {
    if (swap == 0) return absl::OkStatus();
    return fs.WriteFile(swap_file, absl::StrCat(swap));
  };
  // memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes:
  // raise memsw first when growing, lower the limit first when shrinking.
  bool swap_first = false;
  if (limit != 0 && swap != 0) {
    ASSIGN_OR_RETURN(uint64_t current_limit, ReadUintFile(fs, limit_file));
    swap_first = swap == -1 || current_limit < static_cast<uint64_t>(swap);
  }
  if (swap_first) {
    RETURN_IF_ERROR(set_swap());
    RETURN_IF_ERROR(set_limit());
  } else {
    RETURN_IF_ERROR(set_limit());
    RETURN_IF_ERROR(set_swap());
  }

  if (memory.has_reservation() && memory.reservation() != 0) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "memory.soft_limit_in_bytes"),
                                 absl::StrCat(memory.reservation())));
  }
  if (memory.has_kernel_tcp() && memory.kernel_tcp() != 0) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "memory.kmem.tcp.limit_in_bytes"),
                                 absl::StrCat(memory.kernel_tcp())));
  }
  if (memory.has_disable_oom_killer()) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "memory.oom_control"),
                                 memory.disable_oom_killer() ? "1" : "0"));
  }
  if (memory.has_swappiness() && memory.swappiness() != std::numeric_limits<uint64_t>::max()) {
    RETURN_IF_ERROR(
        fs.WriteFile(CgroupFile(dir, "memory.swappiness"), absl::StrCat(memory.swappiness())));
  }
  if (memory.has_use_hierarchy()) {
    RETURN_IF_ERROR(
        fs.WriteFile(CgroupFile(dir, "memory.use_hierarchy"), memory.use_hierarchy() ? "1" : "0"));
  }
  return absl::OkStatus();
}

// --- cpu ----------------------------------------------------------------------

absl::StatusOr<Target> CheckCpu(CgroupFs& fs, const Directories& directories,
                                const config::Cpu& cpu) {
  if (!cpu.has_shares() && !cpu.has_quota() && !cpu.has_period() && !cpu.has_burst() &&
      !cpu.has_realtime_runtime() && !cpu.has_realtime_period() && !cpu.has_idle()) {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(std::string dir, RequireController(directories, "cpu", "linux.resources.cpu"));
  if (cpu.has_burst() && !fs.Exists(CgroupFile(dir, "cpu.cfs_burst_us"))) {
    return NotSupported("linux.resources.cpu.burst", "this kernel has no cpu.cfs_burst_us");
  }
  if (cpu.has_idle() && !fs.Exists(CgroupFile(dir, "cpu.idle"))) {
    return NotSupported("linux.resources.cpu.idle", "this kernel has no cpu.idle");
  }
  if ((cpu.has_realtime_runtime() || cpu.has_realtime_period()) &&
      !fs.Exists(CgroupFile(dir, "cpu.rt_runtime_us"))) {
    return NotSupported("linux.resources.cpu.realtimeRuntime",
                        "this kernel has no cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED is off)");
  }
  return Target(std::move(dir));
}

absl::Status ApplyCpu(CgroupFs& fs, const std::string& dir, const config::Cpu& cpu) {
  if (cpu.has_shares() && cpu.shares() != 0) {
    const std::string file = CgroupFile(dir, "cpu.shares");
    RETURN_IF_ERROR(fs.WriteFile(file, absl::StrCat(cpu.shares())));
    // The kernel clamps to [2, 262144]: say so rather than run with another
    // value than asked.
    ASSIGN_OR_RETURN(uint64_t shares, ReadUintFile(fs, file));
    if (cpu.shares() > shares) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "linux.resources.cpu.shares: the maximum allowed cpu-shares is %d", shares));
    }
    if (cpu.shares() < shares) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "linux.resources.cpu.shares: the minimum allowed cpu-shares is %d", shares));
    }
  }

  // Period, burst and quota are checked against each other (and the
  // parent's) on each write: a write the kernel refuses with EINVAL is
  // retried after the quota, when one is being set (runc's order).
  const int64_t quota = cpu.has_quota() ? cpu.quota() : 0;
  const std::string period_file = CgroupFile(dir, "cpu.cfs_period_us");
  const std::string burst_file = CgroupFile(dir, "cpu.cfs_burst_us");
  bool period_pending = false;
  if (cpu.has_period() && cpu.period() != 0) {
    absl::Status status = fs.WriteFile(period_file, absl::StrCat(cpu.period()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || quota == 0)) return status;
    period_pending = !status.ok();
  }
  bool burst_pending = false;
  if (cpu.has_burst()) {
    absl::Status status = fs.WriteFile(burst_file, absl::StrCat(cpu.burst()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || quota == 0)) return status;
    burst_pending = !status.ok();
  }
  if (quota != 0) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "cpu.cfs_quota_us"), absl::StrCat(quota)));
    if (period_pending) RETURN_IF_ERROR(fs.WriteFile(period_file, absl::StrCat(cpu.period())));
    if (burst_pending) RETURN_IF_ERROR(fs.WriteFile(burst_file, absl::StrCat(cpu.burst())));
  }

  // The same dance for the realtime period and runtime.
  const int64_t rt_runtime = cpu.has_realtime_runtime() ? cpu.realtime_runtime() : 0;
  const std::string rt_period_file = CgroupFile(dir, "cpu.rt_period_us");
  bool rt_period_pending = false;
  if (cpu.has_realtime_period() && cpu.realtime_period() != 0) {
    absl::Status status = fs.WriteFile(rt_period_file, absl::StrCat(cpu.realtime_period()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || rt_runtime == 0)) return status;
    rt_period_pending = !status.ok();
  }
  if (rt_runtime != 0) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "cpu.rt_runtime_us"), absl::StrCat(rt_runtime)));
    if (rt_period_pending) {
      RETURN_IF_ERROR(fs.WriteFile(rt_period_file, absl::StrCat(cpu.realtime_period())));
    }
  }

  if (cpu.has_idle()) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "cpu.idle"), absl::StrCat(cpu.idle())));
  }
  return absl::OkStatus();
}

// --- pids ---------------------------------------------------------------------

absl::StatusOr<Target> CheckPids(const Directories& directories, const config::Pids& pids) {
  if (!pids.has_limit()) return std::nullopt;
  return Require(directories, "pids", "linux.resources.pids");
}

absl::Status ApplyPids(CgroupFs& fs, const std::string& dir, const config::Pids& pids) {
  return fs.WriteFile(CgroupFile(dir, "pids.max"),
                      pids.limit() > 0 ? absl::StrCat(pids.limit()) : std::string("max"));
}

// --- blkio --------------------------------------------------------------------

absl::StatusOr<Target> CheckBlkio(CgroupFs& fs, const Directories& directories,
                                  const config::BlockIo& io) {
  const bool throttles = io.throttle_read_bps_device_size() + io.throttle_write_bps_device_size() +
                             io.throttle_read_iops_device_size() +
                             io.throttle_write_iops_device_size() >
                         0;
  const bool weights = (io.has_weight() && io.weight() != 0) || io.weight_device_size() > 0;
  const bool leaf_weights =
      (io.has_leaf_weight() && io.leaf_weight() != 0) ||
      std::any_of(io.weight_device().begin(), io.weight_device().end(),
                  [](const config::WeightDevice& device) {
                    return device.has_leaf_weight() && device.leaf_weight() != 0;
                  });
  if (!throttles && !weights && !leaf_weights) return std::nullopt;
  ASSIGN_OR_RETURN(std::string dir,
                   RequireController(directories, "blkio", "linux.resources.blockIO"));
  if (weights && !fs.Exists(CgroupFile(dir, "blkio.weight")) &&
      !fs.Exists(CgroupFile(dir, "blkio.bfq.weight"))) {
    return NotSupported("linux.resources.blockIO.weight",
                        "this kernel has neither blkio.weight nor blkio.bfq.weight (no CFQ "
                        "or BFQ I/O scheduler)");
  }
  if (leaf_weights && !fs.Exists(CgroupFile(dir, "blkio.leaf_weight"))) {
    return NotSupported("linux.resources.blockIO.leafWeight",
                        "this kernel has no blkio.leaf_weight");
  }
  return Target(std::move(dir));
}

absl::Status ApplyBlkio(CgroupFs& fs, const std::string& dir, const config::BlockIo& io) {
  // CFQ's files when the kernel has them, else BFQ's (runc's choice).
  const bool cfq = fs.Exists(CgroupFile(dir, "blkio.weight"));
  const std::string weight_file = CgroupFile(dir, cfq ? "blkio.weight" : "blkio.bfq.weight");
  const std::string weight_device_file =
      CgroupFile(dir, cfq ? "blkio.weight_device" : "blkio.bfq.weight_device");
  if (io.has_weight() && io.weight() != 0) {
    RETURN_IF_ERROR(fs.WriteFile(weight_file, absl::StrCat(io.weight())));
  }
  if (io.has_leaf_weight() && io.leaf_weight() != 0) {
    RETURN_IF_ERROR(
        fs.WriteFile(CgroupFile(dir, "blkio.leaf_weight"), absl::StrCat(io.leaf_weight())));
  }
  for (const config::WeightDevice& device : io.weight_device()) {
    if (device.has_weight() && device.weight() != 0) {
      RETURN_IF_ERROR(
          fs.WriteFile(weight_device_file,
                       absl::StrCat(device.major(), ":", device.minor(), " ", device.weight())));
    }
    if (device.has_leaf_weight() && device.leaf_weight() != 0) {
      RETURN_IF_ERROR(fs.WriteFile(
          CgroupFile(dir, "blkio.leaf_weight_device"),
          absl::StrCat(device.major(), ":", device.minor(), " ", device.leaf_weight())));
    }
  }
  const std::pair<const google::protobuf::RepeatedPtrField<config::ThrottleDevice>*, const char*>
      throttles[] = {
          {&io.throttle_read_bps_device(), "blkio.throttle.read_bps_device"},
          {&io.throttle_write_bps_device(), "blkio.throttle.write_bps_device"},
          {&io.throttle_read_iops_device(), "blkio.throttle.read_iops_device"},
          {&io.throttle_write_iops_device(), "blkio.throttle.write_iops_device"},
      };
  for (const auto& [devices, file] : throttles) {
    for (const config::ThrottleDevice& device : *devices) {
      RETURN_IF_ERROR(
          fs.WriteFile(CgroupFile(dir, file),
                       absl::StrCat(device.major(), ":", device.minor(), " ", device.rate())));
    }
  }
  return absl::OkStatus();
}

// --- hugetlb ------------------------------------------------------------------

absl::StatusOr<Target> CheckHugetlb(
    CgroupFs& fs, const Directories& directories,
    const google::protobuf::RepeatedPtrField<config::HugepageLimit>& limits) {
  if (limits.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(std::string dir,
                   RequireController(directories, "hugetlb", "linux.resources.hugepageLimits"));
  for (const config::HugepageLimit& limit : limits) {
    if (!fs.Exists(
            CgroupFile(dir, absl::StrCat("hugetlb.", limit.page_size(), ".limit_in_bytes")))) {
      return NotSupported(
          "linux.resources.hugepageLimits",
          absl::StrCat("this kernel has no \"", limit.page_size(), "\" huge pages (no hugetlb.",
                       limit.page_size(), ".limit_in_bytes)"));
    }
  }
  return Target(std::move(dir));
}

absl::Status ApplyHugetlb(CgroupFs& fs, const std::string& dir,
                          const google::protobuf::RepeatedPtrField<config::HugepageLimit>& limits) {
  for (const config::HugepageLimit& limit : limits) {
    const std::string prefix = CgroupFile(dir, absl::StrCat("hugetlb.", limit.page_size()));
    RETURN_IF_ERROR(fs.WriteFile(prefix + ".limit_in_bytes", absl::StrCat(limit.limit())));
    // Kernels with reservation accounting limit reservations alike (runc).
    if (fs.Exists(prefix + ".rsvd.limit_in_bytes")) {
      RETURN_IF_ERROR(fs.WriteFile(prefix + ".rsvd.limit_in_bytes", absl::StrCat(limit.limit())));
    }
  }
  return absl::OkStatus();
}

// --- net_cls ------------------------------------------------------------------

absl::StatusOr<Target> CheckNetCls(const Directories& directories, const config::Network& network) {
  if (!network.has_class_id()) return std::nullopt;
  return Require(directories, "net_cls", "linux.resources.network.classID");
}

absl::Status ApplyNetCls(CgroupFs& fs, const std::string& dir, const config::Network& network) {
  return fs.WriteFile(CgroupFile(dir, "net_cls.classid"), absl::StrCat(network.class_id()));
}

// --- net_prio -----------------------------------------------------------------

absl::StatusOr<Target> CheckNetPrio(const Directories& directories,
                                    const config::Network& network) {
  if (network.priorities().empty()) return std::nullopt;
  return Require(directories, "net_prio", "linux.resources.network.priorities");
}

absl::Status ApplyNetPrio(CgroupFs& fs, const std::string& dir, const config::Network& network) {
  for (const config::InterfacePriority& priority : network.priorities()) {
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "net_prio.ifpriomap"),
                                 absl::StrCat(priority.name(), " ", priority.priority())));
  }
  return absl::OkStatus();
}

// --- rdma ---------------------------------------------------------------------

absl::StatusOr<Target> CheckRdma(const Directories& directories,
                                 const google::protobuf::Map<std::string, config::Rdma>& rdma) {
  if (rdma.empty()) return std::nullopt;
  return Require(directories, "rdma", "linux.resources.rdma");
}

absl::Status ApplyRdma(CgroupFs& fs, const std::string& dir,
                       const google::protobuf::Map<std::string, config::Rdma>& rdma) {
  // Sorted, so that the writes do not depend on the map's order.
  const std::map<std::string, config::Rdma> devices(rdma.begin(), rdma.end());
  for (const auto& [device, limits] : devices) {
    std::string line = device;
    if (limits.has_hca_handles()) absl::StrAppend(&line, " hca_handle=", limits.hca_handles());
    if (limits.has_hca_objects()) absl::StrAppend(&line, " hca_object=", limits.hca_objects());
    RETURN_IF_ERROR(fs.WriteFile(CgroupFile(dir, "rdma.max"), line));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyV1Resources(CgroupFs& fs, const std::vector<CgroupDirectory>& directories,
                              const config::Resources& resources) {
  if (!resources.unified().empty()) {
    return absl::FailedPreconditionError(
        "linux.resources.unified: unified resources require cgroup v2 (this host's controllers "
        "are cgroup v1)");
  }
  // Every check before the first write, so that a refused request changes
  // nothing; of several refusals, the first in this order is reported.
  ASSIGN_OR_RETURN(const Target devices, CheckDevices(directories, resources.devices()));
  ASSIGN_OR_RETURN(const Target memory, CheckMemory(fs, directories, resources.memory()));
  ASSIGN_OR_RETURN(const Target cpu, CheckCpu(fs, directories, resources.cpu()));
  ASSIGN_OR_RETURN(const Target cpuset, CheckCpuset(directories, resources.cpu()));
  ASSIGN_OR_RETURN(const Target pids, CheckPids(directories, resources.pids()));
  ASSIGN_OR_RETURN(const Target blkio, CheckBlkio(fs, directories, resources.block_io()));
  ASSIGN_OR_RETURN(const Target hugetlb,
                   CheckHugetlb(fs, directories, resources.hugepage_limits()));
  ASSIGN_OR_RETURN(const Target net_cls, CheckNetCls(directories, resources.network()));
  ASSIGN_OR_RETURN(const Target net_prio, CheckNetPrio(directories, resources.network()));
  ASSIGN_OR_RETURN(const Target rdma, CheckRdma(directories, resources.rdma()));

  // The writes, in runc's order.
  if (cpuset) RETURN_IF_ERROR(ApplyCpuset(fs, *cpuset, resources.cpu()));
  if (devices) RETURN_IF_ERROR(ApplyDevices(fs, *devices, resources.devices()));
  if (memory) RETURN_IF_ERROR(ApplyMemory(fs, *memory, resources.memory()));
  if (cpu) RETURN_IF_ERROR(ApplyCpu(fs, *cpu, resources.cpu()));
  if (pids) RETURN_IF_ERROR(ApplyPids(fs, *pids, resources.pids()));
  if (blkio) RETURN_IF_ERROR(ApplyBlkio(fs, *blkio, resources.block_io()));
  if (hugetlb) RETURN_IF_ERROR(ApplyHugetlb(fs, *hugetlb, resources.hugepage_limits()));
  if (net_cls) RETURN_IF_ERROR(ApplyNetCls(fs, *net_cls, resources.network()));
  if (net_prio) RETURN_IF_ERROR(ApplyNetPrio(fs, *net_prio, resources.network()));
  if (rdma) RETURN_IF_ERROR(ApplyRdma(fs, *rdma, resources.rdma()));
  return absl::OkStatus();
}

}  // namespace hull::cgroups
