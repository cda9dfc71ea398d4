#include "cgroups/v1.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/device_rules.h"
#include "cgroups/stat_files.h"
#include "cgroups/v2_conversion.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

constexpr char kFrozen[] = "FROZEN";
constexpr char kThawed[] = "THAWED";

std::string Join(absl::string_view directory, absl::string_view file) {
  return absl::StrCat(directory, "/", file);
}

absl::Status NotSupported(absl::string_view what, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(what, ": ", detail, ": not supported"));
}

absl::Status NotMounted(absl::string_view what, absl::string_view controller) {
  return NotSupported(what, absl::StrCat("the \"", controller,
                                         "\" cgroup controller is not mounted on this host"));
}

bool IsBusy(const absl::Status& status) { return absl::IsFailedPrecondition(status); }

}  // namespace

V1Manager::V1Manager(std::vector<CgroupDirectory> directories, std::unique_ptr<CgroupFs> fs,
                     V1Options options)
    : directories_(std::move(directories)), fs_(std::move(fs)), options_(std::move(options)) {}

const CgroupDirectory* V1Manager::Find(absl::string_view controller) const {
  for (const CgroupDirectory& directory : directories_) {
    if (std::find(directory.controllers.begin(), directory.controllers.end(), controller) !=
        directory.controllers.end()) {
      return &directory;
    }
  }
  return nullptr;
}

absl::StatusOr<std::string> V1Manager::Require(absl::string_view controller,
                                               absl::string_view what) const {
  const CgroupDirectory* directory = Find(controller);
  if (directory == nullptr) return NotMounted(what, controller);
  return directory->path;
}

absl::StatusOr<uint64_t> V1Manager::ReadUint(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  return ParseUint(text, path);
}

// --- Create -----------------------------------------------------------------

absl::Status V1Manager::MakeDirectories(CgroupDirectory& directory,
                                        std::vector<std::string>& made) {
  const bool cpuset = std::find(directory.controllers.begin(), directory.controllers.end(),
                                "cpuset") != directory.controllers.end();
  const size_t made_before = made.size();
  RETURN_IF_ERROR(MakeDirectoryChain(
      *fs_, directory.mount_point, directory.path,
      [](const std::string&) { return absl::OkStatus(); },
      [&](const std::string& made_directory, const std::string& parent) -> absl::Status {
        if (!cpuset) return absl::OkStatus();
        // A new cpuset cgroup starts with no cpus and no mems, and no process
        // can join it until they are set: give it its parent's, as runc does.
        for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
          ASSIGN_OR_RETURN(std::string own, fs_->ReadFile(Join(made_directory, file)));
          if (!absl::StripAsciiWhitespace(own).empty()) continue;
          ASSIGN_OR_RETURN(std::string inherited, fs_->ReadFile(Join(parent, file)));
          RETURN_IF_ERROR(fs_->WriteFile(Join(made_directory, file),
                                         absl::StripAsciiWhitespace(inherited)));
        }
        return absl::OkStatus();
      },
      made));
  if (directory.created.empty() && made.size() > made_before) {
    directory.created = made[made_before];
  }
  return absl::OkStatus();
}

absl::Status V1Manager::Create() {
  std::vector<std::string> made;
  absl::Status status;
  for (CgroupDirectory& directory : directories_) {
    if (!IsAtOrBelow(directory.path, directory.mount_point)) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "cgroup ", directory.path, " is not below its hierarchy at ", directory.mount_point));
      break;
    }
    status = MakeDirectories(directory, made);
    if (!status.ok()) break;
  }
  if (status.ok()) return status;
  // Leave nothing behind: remove what this call made, deepest first.
  for (auto it = made.rbegin(); it != made.rend(); ++it) fs_->RemoveDirectory(*it).IgnoreError();
  for (CgroupDirectory& directory : directories_) {
    if (std::find(made.begin(), made.end(), directory.created) != made.end()) {
      directory.created.clear();
    }
  }
  return status;
}

// --- Apply ------------------------------------------------------------------

absl::Status V1Manager::CheckSupported(const config::Resources& resources) const {
  if (!resources.unified().empty()) {
    return absl::FailedPreconditionError(
        "linux.resources.unified: unified resources require cgroup v2 (this host's controllers "
        "are cgroup v1)");
  }
  for (int i = 0; i < resources.devices_size(); ++i) {
    RETURN_IF_ERROR(ValidateDeviceRule(resources.devices(i), i));
  }
  if (resources.devices_size() > 0) {
    RETURN_IF_ERROR(Require("devices", "linux.resources.devices").status());
  }

  // Proto3 optional fields serialize when set, even to zero: an empty
  // "memory": {} asks nothing of the controller.
  if (resources.memory().ByteSizeLong() > 0) {
    const config::Memory& memory = resources.memory();
    constexpr absl::string_view kWhat = "linux.resources.memory";
    ASSIGN_OR_RETURN(std::string dir, Require("memory", kWhat));
    if (memory.has_kernel() && memory.kernel() != 0) {
      return NotSupported("linux.resources.memory.kernel",
                          "kernel memory limits are deprecated and not enforced by this kernel");
    }
    if (memory.has_kernel_tcp() && memory.kernel_tcp() != 0 &&
        !fs_->Exists(Join(dir, "memory.kmem.tcp.limit_in_bytes"))) {
      return NotSupported("linux.resources.memory.kernelTCP",
                          "this kernel has no memory.kmem.tcp.limit_in_bytes");
    }
    if (memory.has_swap() && memory.swap() != 0 && memory.swap() != -1 &&
        !fs_->Exists(Join(dir, "memory.memsw.limit_in_bytes"))) {
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
  }

  if (resources.has_cpu()) {
    const config::Cpu& cpu = resources.cpu();
    if (cpu.has_shares() || cpu.has_quota() || cpu.has_period() || cpu.has_burst() ||
        cpu.has_realtime_runtime() || cpu.has_realtime_period() || cpu.has_idle()) {
      ASSIGN_OR_RETURN(std::string dir, Require("cpu", "linux.resources.cpu"));
      if (cpu.has_burst() && !fs_->Exists(Join(dir, "cpu.cfs_burst_us"))) {
        return NotSupported("linux.resources.cpu.burst", "this kernel has no cpu.cfs_burst_us");
      }
      if (cpu.has_idle() && !fs_->Exists(Join(dir, "cpu.idle"))) {
        return NotSupported("linux.resources.cpu.idle", "this kernel has no cpu.idle");
      }
      if ((cpu.has_realtime_runtime() || cpu.has_realtime_period()) &&
          !fs_->Exists(Join(dir, "cpu.rt_runtime_us"))) {
        return NotSupported("linux.resources.cpu.realtimeRuntime",
                            "this kernel has no cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED is off)");
      }
    }
    if (!cpu.cpus().empty() || !cpu.mems().empty()) {
      RETURN_IF_ERROR(Require("cpuset", "linux.resources.cpu.cpus/mems").status());
    }
  }

  if (resources.has_pids() && resources.pids().has_limit()) {
    RETURN_IF_ERROR(Require("pids", "linux.resources.pids").status());
  }

  if (resources.has_block_io()) {
    const config::BlockIo& io = resources.block_io();
    const bool throttles =
        io.throttle_read_bps_device_size() + io.throttle_write_bps_device_size() +
            io.throttle_read_iops_device_size() + io.throttle_write_iops_device_size() >
        0;
    const bool weights = (io.has_weight() && io.weight() != 0) || io.weight_device_size() > 0;
    const bool leaf_weights = (io.has_leaf_weight() && io.leaf_weight() != 0) ||
                              std::any_of(io.weight_device().begin(), io.weight_device().end(),
                                          [](const config::WeightDevice& device) {
                                            return device.has_leaf_weight() &&
                                                   device.leaf_weight() != 0;
                                          });
    if (throttles || weights || leaf_weights) {
      ASSIGN_OR_RETURN(std::string dir, Require("blkio", "linux.resources.blockIO"));
      if (weights && !fs_->Exists(Join(dir, "blkio.weight")) &&
          !fs_->Exists(Join(dir, "blkio.bfq.weight"))) {
        return NotSupported("linux.resources.blockIO.weight",
                            "this kernel has neither blkio.weight nor blkio.bfq.weight (no CFQ "
                            "or BFQ I/O scheduler)");
      }
      if (leaf_weights && !fs_->Exists(Join(dir, "blkio.leaf_weight"))) {
        return NotSupported("linux.resources.blockIO.leafWeight",
                            "this kernel has no blkio.leaf_weight");
      }
    }
  }

  if (resources.hugepage_limits_size() > 0) {
    ASSIGN_OR_RETURN(std::string dir, Require("hugetlb", "linux.resources.hugepageLimits"));
    for (const config::HugepageLimit& limit : resources.hugepage_limits()) {
      if (!fs_->Exists(Join(dir, absl::StrCat("hugetlb.", limit.page_size(), ".limit_in_bytes")))) {
        return NotSupported("linux.resources.hugepageLimits",
                            absl::StrCat("this kernel has no \"", limit.page_size(),
                                         "\" huge pages (no hugetlb.", limit.page_size(),
                                         ".limit_in_bytes)"));
      }
    }
  }

  if (resources.has_network()) {
    if (resources.network().has_class_id()) {
      RETURN_IF_ERROR(Require("net_cls", "linux.resources.network.classID").status());
    }
    if (resources.network().priorities_size() > 0) {
      RETURN_IF_ERROR(Require("net_prio", "linux.resources.network.priorities").status());
    }
  }

  if (!resources.rdma().empty()) {
    RETURN_IF_ERROR(Require("rdma", "linux.resources.rdma").status());
  }
  return absl::OkStatus();
}

absl::Status V1Manager::Apply(const config::Resources& resources) {
  RETURN_IF_ERROR(CheckSupported(resources));
  if (resources.has_cpu()) RETURN_IF_ERROR(ApplyCpuset(resources.cpu()));
  RETURN_IF_ERROR(ApplyDevices(resources));
  if (resources.memory().ByteSizeLong() > 0) RETURN_IF_ERROR(ApplyMemory(resources.memory()));
  if (resources.has_cpu()) RETURN_IF_ERROR(ApplyCpu(resources.cpu()));
  if (resources.has_pids()) RETURN_IF_ERROR(ApplyPids(resources.pids()));
  if (resources.has_block_io()) RETURN_IF_ERROR(ApplyBlockIo(resources.block_io()));
  RETURN_IF_ERROR(ApplyHugetlb(resources));
  if (resources.has_network()) RETURN_IF_ERROR(ApplyNetwork(resources.network()));
  return ApplyRdma(resources);
}

absl::Status V1Manager::ApplyCpuset(const config::Cpu& cpu) {
  if (cpu.cpus().empty() && cpu.mems().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string dir, Require("cpuset", "linux.resources.cpu.cpus/mems"));
  if (!cpu.cpus().empty()) RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "cpuset.cpus"), cpu.cpus()));
  if (!cpu.mems().empty()) RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "cpuset.mems"), cpu.mems()));
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyDevices(const config::Resources& resources) {
  if (resources.devices_size() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string dir, Require("devices", "linux.resources.devices"));
  RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "devices.deny"), "a"));
  for (const config::DeviceCgroup& rule : resources.devices()) {
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, rule.allow() ? "devices.allow" : "devices.deny"),
                                   DeviceRuleText(rule)));
  }
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyMemory(const config::Memory& memory) {
  ASSIGN_OR_RETURN(std::string dir, Require("memory", "linux.resources.memory"));
  const std::string limit_file = Join(dir, "memory.limit_in_bytes");
  const std::string swap_file = Join(dir, "memory.memsw.limit_in_bytes");
  // As in runc, 0 means "not set" for the limits.
  const int64_t limit = memory.has_limit() ? memory.limit() : 0;
  int64_t swap = memory.has_swap() ? memory.swap() : 0;
  const bool swap_accounting = fs_->Exists(swap_file);
  // An unlimited memory with no swap limit given makes memory+swap
  // unlimited too; without swap accounting there is nothing to write.
  if (limit == -1 && swap == 0 && swap_accounting) swap = -1;
  if (swap == -1 && !swap_accounting) swap = 0;

  if (memory.check_before_update()) {
    ASSIGN_OR_RETURN(uint64_t usage, ReadUint(Join(dir, "memory.usage_in_bytes")));
    RETURN_IF_ERROR(CheckMemoryBeforeUpdate(memory, usage));
  }

  auto set_limit = [&]() -> absl::Status {
    if (limit == 0) return absl::OkStatus();
    absl::Status status = fs_->WriteFile(limit_file, absl::StrCat(limit));
    if (!IsBusy(status)) return status;
    // EBUSY: the kernel could not reclaim down to the new limit.
    ASSIGN_OR_RETURN(uint64_t usage, ReadUint(Join(dir, "memory.usage_in_bytes")));
    ASSIGN_OR_RETURN(uint64_t peak, ReadUint(Join(dir, "memory.max_usage_in_bytes")));
    return absl::FailedPreconditionError(
        absl::StrFormat("unable to set memory limit to %d (current usage: %d, peak usage: %d)",
                        limit, usage, peak));
  };
  auto set_swap = [&]() -> absl::Status {
    if (swap == 0) return absl::OkStatus();
    return fs_->WriteFile(swap_file, absl::StrCat(swap));
  };
  // memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes:
  // raise memsw first when growing, lower the limit first when shrinking.
  bool swap_first = false;
  if (limit != 0 && swap != 0) {
    ASSIGN_OR_RETURN(uint64_t current_limit, ReadUint(limit_file));
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
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "memory.soft_limit_in_bytes"),
                                   absl::StrCat(memory.reservation())));
  }
  if (memory.has_kernel_tcp() && memory.kernel_tcp() != 0) {
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "memory.kmem.tcp.limit_in_bytes"),
                                   absl::StrCat(memory.kernel_tcp())));
  }
  if (memory.has_disable_oom_killer()) {
    RETURN_IF_ERROR(
        fs_->WriteFile(Join(dir, "memory.oom_control"), memory.disable_oom_killer() ? "1" : "0"));
  }
  if (memory.has_swappiness() && memory.swappiness() != std::numeric_limits<uint64_t>::max()) {
    RETURN_IF_ERROR(
        fs_->WriteFile(Join(dir, "memory.swappiness"), absl::StrCat(memory.swappiness())));
  }
  if (memory.has_use_hierarchy()) {
    RETURN_IF_ERROR(
        fs_->WriteFile(Join(dir, "memory.use_hierarchy"), memory.use_hierarchy() ? "1" : "0"));
  }
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyCpu(const config::Cpu& cpu) {
  if (!cpu.has_shares() && !cpu.has_quota() && !cpu.has_period() && !cpu.has_burst() &&
      !cpu.has_realtime_runtime() && !cpu.has_realtime_period() && !cpu.has_idle()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string dir, Require("cpu", "linux.resources.cpu"));
  if (cpu.has_shares() && cpu.shares() != 0) {
    const std::string file = Join(dir, "cpu.shares");
    RETURN_IF_ERROR(fs_->WriteFile(file, absl::StrCat(cpu.shares())));
    // The kernel clamps to [2, 262144]: say so rather than run with another
    // value than asked.
    ASSIGN_OR_RETURN(uint64_t shares, ReadUint(file));
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
  const std::string period_file = Join(dir, "cpu.cfs_period_us");
  const std::string burst_file = Join(dir, "cpu.cfs_burst_us");
  bool period_pending = false;
  if (cpu.has_period() && cpu.period() != 0) {
    absl::Status status = fs_->WriteFile(period_file, absl::StrCat(cpu.period()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || quota == 0)) return status;
    period_pending = !status.ok();
  }
  bool burst_pending = false;
  if (cpu.has_burst()) {
    absl::Status status = fs_->WriteFile(burst_file, absl::StrCat(cpu.burst()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || quota == 0)) return status;
    burst_pending = !status.ok();
  }
  if (quota != 0) {
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "cpu.cfs_quota_us"), absl::StrCat(quota)));
    if (period_pending) RETURN_IF_ERROR(fs_->WriteFile(period_file, absl::StrCat(cpu.period())));
    if (burst_pending) RETURN_IF_ERROR(fs_->WriteFile(burst_file, absl::StrCat(cpu.burst())));
  }

  // The same dance for the realtime period and runtime.
  const int64_t rt_runtime = cpu.has_realtime_runtime() ? cpu.realtime_runtime() : 0;
  const std::string rt_period_file = Join(dir, "cpu.rt_period_us");
  bool rt_period_pending = false;
  if (cpu.has_realtime_period() && cpu.realtime_period() != 0) {
    absl::Status status = fs_->WriteFile(rt_period_file, absl::StrCat(cpu.realtime_period()));
    if (!status.ok() && (!absl::IsInvalidArgument(status) || rt_runtime == 0)) return status;
    rt_period_pending = !status.ok();
  }
  if (rt_runtime != 0) {
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "cpu.rt_runtime_us"), absl::StrCat(rt_runtime)));
    if (rt_period_pending) {
      RETURN_IF_ERROR(fs_->WriteFile(rt_period_file, absl::StrCat(cpu.realtime_period())));
    }
  }

  if (cpu.has_idle()) RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "cpu.idle"), absl::StrCat(cpu.idle())));
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyPids(const config::Pids& pids) {
  if (!pids.has_limit()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string dir, Require("pids", "linux.resources.pids"));
  return fs_->WriteFile(Join(dir, "pids.max"),
                        pids.limit() > 0 ? absl::StrCat(pids.limit()) : std::string("max"));
}

absl::Status V1Manager::ApplyBlockIo(const config::BlockIo& io) {
  const CgroupDirectory* blkio = Find("blkio");
  if (blkio == nullptr) return absl::OkStatus();  // CheckSupported: nothing asked of it
  const std::string& dir = blkio->path;
  // CFQ's files when the kernel has them, else BFQ's (runc's choice).
  const bool cfq = fs_->Exists(Join(dir, "blkio.weight"));
  const std::string weight_file = Join(dir, cfq ? "blkio.weight" : "blkio.bfq.weight");
  const std::string weight_device_file =
      Join(dir, cfq ? "blkio.weight_device" : "blkio.bfq.weight_device");
  if (io.has_weight() && io.weight() != 0) {
    RETURN_IF_ERROR(fs_->WriteFile(weight_file, absl::StrCat(io.weight())));
  }
  if (io.has_leaf_weight() && io.leaf_weight() != 0) {
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "blkio.leaf_weight"), absl::StrCat(io.leaf_weight())));
  }
  for (const config::WeightDevice& device : io.weight_device()) {
    if (device.has_weight() && device.weight() != 0) {
      RETURN_IF_ERROR(fs_->WriteFile(
          weight_device_file,
          absl::StrCat(device.major(), ":", device.minor(), " ", device.weight())));
    }
    if (device.has_leaf_weight() && device.leaf_weight() != 0) {
      RETURN_IF_ERROR(fs_->WriteFile(
          Join(dir, "blkio.leaf_weight_device"),
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
      RETURN_IF_ERROR(fs_->WriteFile(
          Join(dir, file), absl::StrCat(device.major(), ":", device.minor(), " ", device.rate())));
    }
  }
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyHugetlb(const config::Resources& resources) {
  if (resources.hugepage_limits_size() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string dir, Require("hugetlb", "linux.resources.hugepageLimits"));
  for (const config::HugepageLimit& limit : resources.hugepage_limits()) {
    const std::string prefix = Join(dir, absl::StrCat("hugetlb.", limit.page_size()));
    RETURN_IF_ERROR(fs_->WriteFile(prefix + ".limit_in_bytes", absl::StrCat(limit.limit())));
    // Kernels with reservation accounting limit reservations alike (runc).
    if (fs_->Exists(prefix + ".rsvd.limit_in_bytes")) {
      RETURN_IF_ERROR(fs_->WriteFile(prefix + ".rsvd.limit_in_bytes", absl::StrCat(limit.limit())));
    }
  }
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyNetwork(const config::Network& network) {
  if (network.has_class_id()) {
    ASSIGN_OR_RETURN(std::string dir, Require("net_cls", "linux.resources.network.classID"));
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "net_cls.classid"), absl::StrCat(network.class_id())));
  }
  if (network.priorities_size() > 0) {
    ASSIGN_OR_RETURN(std::string dir, Require("net_prio", "linux.resources.network.priorities"));
    for (const config::InterfacePriority& priority : network.priorities()) {
      RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "net_prio.ifpriomap"),
                                     absl::StrCat(priority.name(), " ", priority.priority())));
    }
  }
  return absl::OkStatus();
}

absl::Status V1Manager::ApplyRdma(const config::Resources& resources) {
  if (resources.rdma().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string dir, Require("rdma", "linux.resources.rdma"));
  // Sorted, so that the writes do not depend on the map's order.
  std::map<std::string, config::Rdma> devices(resources.rdma().begin(), resources.rdma().end());
  for (const auto& [device, limits] : devices) {
    std::string line = device;
    if (limits.has_hca_handles()) absl::StrAppend(&line, " hca_handle=", limits.hca_handles());
    if (limits.has_hca_objects()) absl::StrAppend(&line, " hca_object=", limits.hca_objects());
    RETURN_IF_ERROR(fs_->WriteFile(Join(dir, "rdma.max"), line));
  }
  return absl::OkStatus();
}

// --- Processes ----------------------------------------------------------------

absl::Status V1Manager::AddProcess(pid_t pid) {
  for (const CgroupDirectory& directory : directories_) {
    const std::string procs = Join(directory.path, "cgroup.procs");
    // EINVAL can mean the task is still being created (TASK_NEW): runc
    // retries a few times.
    absl::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      status = fs_->WriteFile(procs, absl::StrCat(pid));
      if (!absl::IsInvalidArgument(status)) break;
      absl::SleepFor(absl::Milliseconds(30));
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::StatusOr<CloneTargets> V1Manager::OpenCloneTargets() {
  CloneTargets targets;
  for (const CgroupDirectory& directory : directories_) {
    if (directory.controllers.empty()) {
      ASSIGN_OR_RETURN(targets.cgroup2_directory, fs_->OpenDirectory(directory.path));
    } else {
      ASSIGN_OR_RETURN(UniqueFd tasks, fs_->OpenForWriting(Join(directory.path, "tasks")));
      targets.v1_tasks_files.push_back(std::move(tasks));
    }
  }
  return targets;
}

absl::StatusOr<std::vector<pid_t>> V1Manager::Processes() {
  const CgroupDirectory* directory = nullptr;
  for (const char* controller : {"freezer", "pids", "memory", "devices", "cpu"}) {
    if ((directory = Find(controller)) != nullptr) break;
  }
  if (directory == nullptr && !directories_.empty()) directory = &directories_.front();
  if (directory == nullptr) return std::vector<pid_t>();

  return ProcessesBelow(*fs_, directory->path);
}

absl::Status V1Manager::Signal(int signal) {
  // Freezing is what keeps a fork bomb from outrunning the kills; when it
  // fails (Freeze thaws again) the processes are still killed, as by runc.
  const bool frozen = signal == SIGKILL && Find("freezer") != nullptr && Freeze().ok();
  absl::Status status;
  absl::StatusOr<std::vector<pid_t>> pids = Processes();
  if (!pids.ok()) {
    status = pids.status();
  } else {
    for (pid_t pid : *pids) {
      absl::Status killed = fs_->Kill(pid, signal);
      // A process may exit between the listing and the kill.
      if (!killed.ok() && !absl::IsNotFound(killed) && status.ok()) status = killed;
    }
  }
  if (frozen) {
    absl::Status thawed = Thaw();
    if (status.ok()) status = thawed;
  }
  return status;
}

// --- Freezer ------------------------------------------------------------------

absl::Status V1Manager::WriteFreezerState(absl::string_view directory, absl::string_view state) {
  return fs_->WriteFile(Join(directory, "freezer.state"), state);
}

absl::Status V1Manager::Freeze() {
  ASSIGN_OR_RETURN(std::string dir, Require("freezer", "pause"));
  const std::string state_file = Join(dir, "freezer.state");
  // Tasks forking while the cgroup freezes can keep it FREEZING; thawing
  // for a moment now and then lets the freeze catch them (runc's loop).
  constexpr int kAttempts = 1000;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt % 50 == 49) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      absl::SleepFor(absl::Milliseconds(10));
    }
    absl::Status status = WriteFreezerState(dir, kFrozen);
    if (!status.ok()) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return status;
    }
    if (attempt % 25 == 24) absl::SleepFor(absl::Microseconds(10));
    absl::StatusOr<std::string> state = fs_->ReadFile(state_file);
    if (!state.ok()) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return state.status();
    }
    const absl::string_view current = absl::StripAsciiWhitespace(*state);
    if (current == kFrozen) return absl::OkStatus();
    if (current != "FREEZING") {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return absl::InternalError(
          absl::StrCat("freeze ", dir, ": unexpected freezer.state \"", current, "\""));
    }
  }
  WriteFreezerState(dir, kThawed).IgnoreError();
  return absl::DeadlineExceededError(
      absl::StrCat("freeze ", dir, ": still FREEZING after ", kAttempts, " attempts; thawed"));
}

absl::Status V1Manager::Thaw() {
  ASSIGN_OR_RETURN(std::string dir, Require("freezer", "resume"));
  const std::string state_file = Join(dir, "freezer.state");
  for (int attempt = 0; attempt < 1000; ++attempt) {
    RETURN_IF_ERROR(WriteFreezerState(dir, kThawed));
    ASSIGN_OR_RETURN(std::string state, fs_->ReadFile(state_file));
    if (absl::StripAsciiWhitespace(state) == kThawed) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(1));
  }
  return absl::DeadlineExceededError(absl::StrCat("thaw ", dir, ": not THAWED after 1000 attempts"));
}

absl::StatusOr<bool> V1Manager::IsFrozen() {
  const CgroupDirectory* freezer = Find("freezer");
  if (freezer == nullptr) return false;
  ASSIGN_OR_RETURN(std::string state, fs_->ReadFile(Join(freezer->path, "freezer.state")));
  return absl::StripAsciiWhitespace(state) == kFrozen;
}

// --- Stats --------------------------------------------------------------------

absl::Status V1Manager::CpuStats(Stats& stats) {
  const CgroupDirectory* cpu = Find("cpu");
  if (cpu == nullptr) return absl::OkStatus();
  const std::string file = Join(cpu->path, "cpu.stat");
  ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(file));
  ASSIGN_OR_RETURN(auto values, ParseKeyValues(text, file));
  Throttling& throttling = *stats.mutable_cpu()->mutable_throttling();
  throttling.set_periods(values["nr_periods"]);
  throttling.set_throttled_periods(values["nr_throttled"]);
  throttling.set_throttled_time(values["throttled_time"]);
  return absl::OkStatus();
}

absl::Status V1Manager::CpuacctStats(Stats& stats) {
  const CgroupDirectory* cpuacct = Find("cpuacct");
  if (cpuacct == nullptr) return absl::OkStatus();
  CpuUsage& usage = *stats.mutable_cpu()->mutable_usage();
  ASSIGN_OR_RETURN(uint64_t total, ReadUint(Join(cpuacct->path, "cpuacct.usage")));
  usage.set_total(total);
  const std::pair<const char*, google::protobuf::RepeatedField<uint64_t>*> per_cpu[] = {
      {"cpuacct.usage_percpu", usage.mutable_percpu()},
      {"cpuacct.usage_percpu_sys", usage.mutable_percpu_kernel()},
      {"cpuacct.usage_percpu_user", usage.mutable_percpu_user()},
  };
  for (const auto& [name, field] : per_cpu) {
    const std::string file = Join(cpuacct->path, name);
    if (!fs_->Exists(file)) continue;  // older kernels: totals only
    ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(file));
    ASSIGN_OR_RETURN(std::vector<uint64_t> values, ParseUintList(text, file));
    field->Add(values.begin(), values.end());
  }
  // cpuacct.stat counts clock ticks; runc reports nanoseconds.
  const std::string stat_file = Join(cpuacct->path, "cpuacct.stat");
  ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(stat_file));
  ASSIGN_OR_RETURN(auto ticks, ParseKeyValues(text, stat_file));
  const long ticks_per_second = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
  const uint64_t nanoseconds_per_tick = 1000000000 / static_cast<uint64_t>(ticks_per_second);
  usage.set_user(ticks["user"] * nanoseconds_per_tick);
  usage.set_kernel(ticks["system"] * nanoseconds_per_tick);
  return absl::OkStatus();
}

absl::Status V1Manager::CpusetStats(Stats& stats) {
  const CgroupDirectory* cpuset = Find("cpuset");
  if (cpuset == nullptr) return absl::OkStatus();
  CpuSet& out = *stats.mutable_cpuset();
  for (const auto& [name, field] :
       {std::pair{"cpuset.cpus", out.mutable_cpus()}, std::pair{"cpuset.mems", out.mutable_mems()}}) {
    const std::string file = Join(cpuset->path, name);
    ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(file));
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
    ASSIGN_OR_RETURN(uint64_t value, ReadUint(Join(cpuset->path, name)));
    (out.*setter)(value);
  }
  const std::string relax_file = Join(cpuset->path, "cpuset.sched_relax_domain_level");
  ASSIGN_OR_RETURN(std::string relax, fs_->ReadFile(relax_file));
  int64_t level;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(relax), &level)) {
    return absl::DataLossError(absl::StrCat("malformed ", relax_file, ": \"", relax, "\""));
  }
  out.set_sched_relax_domain_level(level);
  return absl::OkStatus();
}

absl::Status V1Manager::MemoryStats(Stats& stats) {
  const CgroupDirectory* memory = Find("memory");
  if (memory == nullptr) return absl::OkStatus();
  Memory& out = *stats.mutable_memory();
  const std::string stat_file = Join(memory->path, "memory.stat");
  ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(stat_file));
  ASSIGN_OR_RETURN(auto raw, ParseKeyValues(text, stat_file));
  out.mutable_raw()->insert(raw.begin(), raw.end());
  out.set_cache(raw["cache"]);
  // memory, memory+swap, kernel and kernel TCP counters; the last three are
  // optional in the kernel.
  const std::pair<const char*, MemoryEntry*> counters[] = {
      {"memory", out.mutable_usage()},
      {"memory.memsw", out.mutable_swap()},
      {"memory.kmem", out.mutable_kernel()},
      {"memory.kmem.tcp", out.mutable_kernel_tcp()},
  };
  for (const auto& [prefix, entry] : counters) {
    const std::string usage_file = Join(memory->path, absl::StrCat(prefix, ".usage_in_bytes"));
    if (entry != out.mutable_usage() && !fs_->Exists(usage_file)) continue;
    ASSIGN_OR_RETURN(uint64_t usage, ReadUint(usage_file));
    ASSIGN_OR_RETURN(uint64_t max,
                     ReadUint(Join(memory->path, absl::StrCat(prefix, ".max_usage_in_bytes"))));
    ASSIGN_OR_RETURN(uint64_t failcnt, ReadUint(Join(memory->path, absl::StrCat(prefix, ".failcnt"))));
    ASSIGN_OR_RETURN(uint64_t limit,
                     ReadUint(Join(memory->path, absl::StrCat(prefix, ".limit_in_bytes"))));
    entry->set_usage(usage);
    entry->set_max(max);
    entry->set_failcnt(failcnt);
    entry->set_limit(limit);
  }
  return absl::OkStatus();
}

absl::Status V1Manager::PidsStats(Stats& stats) {
  const CgroupDirectory* pids = Find("pids");
  if (pids == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(uint64_t current, ReadUint(Join(pids->path, "pids.current")));
  ASSIGN_OR_RETURN(uint64_t limit, ReadUint(Join(pids->path, "pids.max")));
  stats.mutable_pids()->set_current(current);
  // "max" is reported as 0, as runc does.
  stats.mutable_pids()->set_limit(limit == std::numeric_limits<uint64_t>::max() ? 0 : limit);
  return absl::OkStatus();
}

absl::Status V1Manager::BlkioStats(Stats& stats) {
  const CgroupDirectory* blkio = Find("blkio");
  if (blkio == nullptr) return absl::OkStatus();
  // The CFQ statistics, else BFQ's, else the throttling layer's (which
  // counts every I/O but only bytes and operations), as runc chooses.
  std::string prefix = "blkio.throttle.";
  if (fs_->Exists(Join(blkio->path, "blkio.io_service_bytes_recursive"))) {
    prefix = "blkio.";
  } else if (fs_->Exists(Join(blkio->path, "blkio.bfq.io_service_bytes_recursive"))) {
    prefix = "blkio.bfq.";
  }
  Blkio& out = *stats.mutable_blkio();
  const std::pair<const char*, google::protobuf::RepeatedPtrField<BlkioEntry>*> files[] = {
      {"io_service_bytes_recursive", out.mutable_io_service_bytes_recursive()},
      {"io_serviced_recursive", out.mutable_io_serviced_recursive()},
      {"io_queued_recursive", out.mutable_io_queue_recursive()},
      {"io_service_time_recursive", out.mutable_io_service_time_recursive()},
      {"io_wait_time_recursive", out.mutable_io_wait_time_recursive()},
      {"io_merged_recursive", out.mutable_io_merged_recursive()},
      {"time_recursive", out.mutable_io_time_recursive()},
      {"sectors_recursive", out.mutable_sectors_recursive()},
  };
  for (const auto& [name, field] : files) {
    const std::string file = Join(blkio->path, absl::StrCat(prefix, name));
    if (!fs_->Exists(file)) continue;
    ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(file));
    ASSIGN_OR_RETURN(std::vector<BlkioEntry> entries, ParseBlkioEntries(text, file));
    for (BlkioEntry& entry : entries) *field->Add() = std::move(entry);
  }
  return absl::OkStatus();
}

absl::Status V1Manager::HugetlbStats(Stats& stats) {
  const CgroupDirectory* hugetlb = Find("hugetlb");
  if (hugetlb == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<std::string> sizes,
                   HugePageSizes(*fs_, options_.hugepages_directory));
  for (const std::string& size : sizes) {
    const std::string prefix = Join(hugetlb->path, absl::StrCat("hugetlb.", size));
    Hugetlb entry;
    ASSIGN_OR_RETURN(uint64_t usage, ReadUint(prefix + ".usage_in_bytes"));
    ASSIGN_OR_RETURN(uint64_t max, ReadUint(prefix + ".max_usage_in_bytes"));
    ASSIGN_OR_RETURN(uint64_t failcnt, ReadUint(prefix + ".failcnt"));
    entry.set_usage(usage);
    entry.set_max(max);
    entry.set_failcnt(failcnt);
    (*stats.mutable_hugetlb())[size] = entry;
  }
  return absl::OkStatus();
}

absl::StatusOr<Stats> V1Manager::GetStats() {
  Stats stats;
  RETURN_IF_ERROR(CpuStats(stats));
  RETURN_IF_ERROR(CpuacctStats(stats));
  RETURN_IF_ERROR(CpusetStats(stats));
  RETURN_IF_ERROR(MemoryStats(stats));
  RETURN_IF_ERROR(PidsStats(stats));
  RETURN_IF_ERROR(BlkioStats(stats));
  RETURN_IF_ERROR(HugetlbStats(stats));
  return stats;
}

// --- Destroy ------------------------------------------------------------------

absl::Status V1Manager::Destroy() {
  absl::StatusOr<std::vector<pid_t>> pids = Processes();
  // NotFound: already removed (a Destroy retried after a partial failure).
  if (!pids.ok() && !absl::IsNotFound(pids.status())) return pids.status();
  if (pids.ok() && !pids->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("container's cgroup is not empty: ", pids->size(), " process(es) remain"));
  }
  for (CgroupDirectory& directory : directories_) {
    if (directory.created.empty()) continue;  // not ours to remove
    RETURN_IF_ERROR(RemoveCgroupTree(*fs_, directory.path, /*busy_retries=*/5));
    RETURN_IF_ERROR(RemoveCreatedParents(*fs_, directory.path, directory.created));
    directory.created.clear();
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> V1Manager::Paths() const {
  std::map<std::string, std::string> paths;
  for (const CgroupDirectory& directory : directories_) {
    if (directory.controllers.empty()) paths[""] = directory.path;
    for (const std::string& controller : directory.controllers) paths[controller] = directory.path;
  }
  return paths;
}

std::map<std::string, std::string> V1Manager::CreatedPaths() const {
  std::map<std::string, std::string> created;
  for (const CgroupDirectory& directory : directories_) {
    if (directory.created.empty()) continue;
    if (directory.controllers.empty()) created[""] = directory.created;
    for (const std::string& controller : directory.controllers) {
      created[controller] = directory.created;
    }
  }
  return created;
}

}  // namespace hull::cgroups
