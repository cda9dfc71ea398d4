#include "cgroups/v2_conversion.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

constexpr absl::string_view kMemory = "linux.resources.memory";
constexpr absl::string_view kCpu = "linux.resources.cpu";
constexpr absl::string_view kBlockIo = "linux.resources.blockIO";

// The kernel's default cpu.max period, in microseconds.
constexpr uint64_t kDefaultCpuPeriod = 100000;

absl::Status NotSupported(absl::string_view path, absl::string_view controller) {
  return absl::FailedPreconditionError(
      absl::StrCat(path, ": not supported on cgroup v2 (", controller, " controller)"));
}

absl::Status OutOfRange(absl::string_view path, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", message));
}

// runc's numToStr for the .max/.low files: -1 is "max", 0 is "not set" ("").
std::string LimitValue(int64_t value) {
  if (value == 0) return "";
  if (value == -1) return "max";
  return absl::StrCat(value);
}

absl::Status CheckByteLimit(bool present, int64_t value, absl::string_view path) {
  if (present && value < -1) {
    return OutOfRange(path, absl::StrCat(value, " is neither bytes nor -1 (unlimited)"));
  }
  return absl::OkStatus();
}

absl::Status AppendPids(const config::Resources& resources, std::vector<V2Write>& writes) {
  if (!resources.pids().has_limit()) return absl::OkStatus();
  const int64_t limit = resources.pids().limit();
  writes.push_back({.file = "pids.max", .value = limit > 0 ? absl::StrCat(limit) : "max"});
  return absl::OkStatus();
}

absl::Status AppendMemory(const config::Resources& resources, std::vector<V2Write>& writes) {
  const config::Memory& memory = resources.memory();
  // memory.kernel is ignored, with a warning (resource_warnings.h).
  if (memory.has_kernel_tcp()) return NotSupported(absl::StrCat(kMemory, ".kernelTCP"), "memory");
  if (memory.has_swappiness()) return NotSupported(absl::StrCat(kMemory, ".swappiness"), "memory");
  if (memory.disable_oom_killer()) {
    return NotSupported(absl::StrCat(kMemory, ".disableOOMKiller"), "memory");
  }
  // cgroup v2 is always hierarchical: only asking for the opposite is refused.
  if (memory.has_use_hierarchy() && !memory.use_hierarchy()) {
    return NotSupported(absl::StrCat(kMemory, ".useHierarchy"), "memory");
  }
  RETURN_IF_ERROR(CheckByteLimit(memory.has_limit(), memory.limit(), absl::StrCat(kMemory, ".limit")));
  RETURN_IF_ERROR(CheckByteLimit(memory.has_swap(), memory.swap(), absl::StrCat(kMemory, ".swap")));
  RETURN_IF_ERROR(CheckByteLimit(memory.has_reservation(), memory.reservation(),
                                 absl::StrCat(kMemory, ".reservation")));

  // As in runc, 0 means "not set" for all three.
  const int64_t limit = memory.limit();
  const int64_t swap = memory.swap();
  const absl::StatusOr<int64_t> swap_only = MemorySwapToV2(swap, limit);
  if (!swap_only.ok()) {
    return OutOfRange(absl::StrCat(kMemory, ".swap"), swap_only.status().message());
  }
  std::string swap_value = LimitValue(*swap_only);
  // Swap equal to the memory limit: no swap at all.
  if (swap_value.empty() && swap > 0) swap_value = "0";
  if (!swap_value.empty()) {
    writes.push_back(
        {.file = "memory.swap.max", .value = swap_value, .optional = swap_value == "max"});
  }
  if (const std::string value = LimitValue(limit); !value.empty()) {
    writes.push_back({.file = "memory.max", .value = value});
  }
  if (const std::string value = LimitValue(memory.reservation()); !value.empty()) {
    writes.push_back({.file = "memory.low", .value = value});
  }
  return absl::OkStatus();
}

std::string DeviceNumbers(int64_t major, int64_t minor) {
  return absl::StrCat(major, ":", minor);
}

absl::Status CheckDeviceNumbers(int64_t major, int64_t minor, absl::string_view path) {
  if (major < 0 || minor < 0) {
    return OutOfRange(path, absl::StrCat("device ", major, ":", minor, " has a negative number"));
  }
  return absl::OkStatus();
}

absl::Status CheckBlkioWeight(uint32_t weight, absl::string_view path) {
  if (weight < 10 || weight > 1000) {
    return OutOfRange(path, absl::StrCat(weight, " is outside [10, 1000]"));
  }
  return absl::OkStatus();
}

// The io.max line of each device, in the order devices first appear.
class IoMaxLines {
 public:
  void Set(const config::ThrottleDevice& device, absl::string_view key) {
    const std::string numbers = DeviceNumbers(device.major(), device.minor());
    auto it = std::find_if(lines_.begin(), lines_.end(),
                           [&](const auto& line) { return line.first == numbers; });
    if (it == lines_.end()) it = lines_.insert(lines_.end(), {numbers, ""});
    // 0 lifts the limit, as writing 0 to blkio.throttle.* does on v1.
    absl::StrAppend(&it->second, " ", key, "=",
                    device.rate() == 0 ? "max" : absl::StrCat(device.rate()));
  }

  void AppendTo(std::vector<V2Write>& writes) const {
    for (const auto& [numbers, settings] : lines_) {
      writes.push_back({.file = "io.max", .value = absl::StrCat(numbers, settings)});
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> lines_;
};

absl::Status AppendIo(const config::Resources& resources, std::vector<V2Write>& writes) {
  const config::BlockIo& block_io = resources.block_io();
  if (block_io.has_leaf_weight() && block_io.leaf_weight() != 0) {
    return NotSupported(absl::StrCat(kBlockIo, ".leafWeight"), "io");
  }
  if (block_io.has_weight() && block_io.weight() != 0) {
    RETURN_IF_ERROR(CheckBlkioWeight(block_io.weight(), absl::StrCat(kBlockIo, ".weight")));
    writes.push_back({.file = "io.bfq.weight",
                      .value = absl::StrCat(block_io.weight()),
                      .fallback_file = "io.weight",
                      .fallback_value = absl::StrCat(BlkioWeightToIoWeight(block_io.weight()))});
  }
  for (int i = 0; i < block_io.weight_device_size(); ++i) {
    const config::WeightDevice& device = block_io.weight_device(i);
    const std::string path = absl::StrCat(kBlockIo, ".weightDevice[", i, "]");
    if (device.has_leaf_weight() && device.leaf_weight() != 0) {
      return NotSupported(absl::StrCat(path, ".leafWeight"), "io");
    }
    if (!device.has_weight()) continue;
    RETURN_IF_ERROR(CheckDeviceNumbers(device.major(), device.minor(), path));
    const std::string numbers = DeviceNumbers(device.major(), device.minor());
    // 0 drops the device's own weight, as on v1.
    if (device.weight() == 0) {
      writes.push_back({.file = "io.bfq.weight",
                        .value = absl::StrCat(numbers, " 0"),
                        .fallback_file = "io.weight",
                        .fallback_value = absl::StrCat(numbers, " default")});
      continue;
    }
    RETURN_IF_ERROR(CheckBlkioWeight(device.weight(), absl::StrCat(path, ".weight")));
    writes.push_back(
        {.file = "io.bfq.weight",
         .value = absl::StrCat(numbers, " ", device.weight()),
         .fallback_file = "io.weight",
         .fallback_value = absl::StrCat(numbers, " ", BlkioWeightToIoWeight(device.weight()))});
  }

  struct Throttle {
    const google::protobuf::RepeatedPtrField<config::ThrottleDevice>& devices;
    absl::string_view json_name;
    absl::string_view key;
  };
  const Throttle throttles[] = {
      {block_io.throttle_read_bps_device(), "throttleReadBpsDevice", "rbps"},
      {block_io.throttle_write_bps_device(), "throttleWriteBpsDevice", "wbps"},
      {block_io.throttle_read_iops_device(), "throttleReadIOPSDevice", "riops"},
      {block_io.throttle_write_iops_device(), "throttleWriteIOPSDevice", "wiops"},
  };
  IoMaxLines io_max;
  for (const Throttle& throttle : throttles) {
    for (int i = 0; i < throttle.devices.size(); ++i) {
      const config::ThrottleDevice& device = throttle.devices[i];
      RETURN_IF_ERROR(CheckDeviceNumbers(
          device.major(), device.minor(),
          absl::StrCat(kBlockIo, ".", throttle.json_name, "[", i, "]")));
      io_max.Set(device, throttle.key);
    }
  }
  io_max.AppendTo(writes);
  return absl::OkStatus();
}

absl::Status AppendCpu(const config::Resources& resources, std::vector<V2Write>& writes) {
  const config::Cpu& cpu = resources.cpu();
  if (cpu.has_realtime_runtime() && cpu.realtime_runtime() != 0) {
    return NotSupported(absl::StrCat(kCpu, ".realtimeRuntime"), "cpu");
  }
  if (cpu.has_realtime_period() && cpu.realtime_period() != 0) {
    return NotSupported(absl::StrCat(kCpu, ".realtimePeriod"), "cpu");
  }
  if (cpu.has_shares() && cpu.shares() != 0) {
    if (cpu.shares() < 2 || cpu.shares() > 262144) {
      return OutOfRange(absl::StrCat(kCpu, ".shares"),
                        absl::StrCat(cpu.shares(), " is outside [2, 262144]"));
    }
    writes.push_back({.file = "cpu.weight", .value = absl::StrCat(CpuSharesToWeight(cpu.shares()))});
  }
  const bool has_quota = cpu.has_quota() && cpu.quota() != 0;
  const bool has_period = cpu.has_period() && cpu.period() != 0;
  const bool writes_max = has_quota || has_period;
  const V2Write burst = {.file = "cpu.max.burst", .value = absl::StrCat(cpu.burst())};
  if (cpu.has_burst()) {
    V2Write first = burst;
    first.repeated_later = writes_max;
    writes.push_back(first);
  }
  if (writes_max) {
    writes.push_back(
        {.file = "cpu.max",
         .value = absl::StrCat(cpu.quota() > 0 ? absl::StrCat(cpu.quota()) : "max", " ",
                               has_period ? cpu.period() : kDefaultCpuPeriod)});
    if (cpu.has_burst()) writes.push_back(burst);
  }
  if (cpu.has_idle()) writes.push_back({.file = "cpu.idle", .value = absl::StrCat(cpu.idle())});
  return absl::OkStatus();
}

void AppendCpuset(const config::Resources& resources, std::vector<V2Write>& writes) {
  if (!resources.cpu().cpus().empty()) {
    writes.push_back({.file = "cpuset.cpus", .value = resources.cpu().cpus()});
  }
  if (!resources.cpu().mems().empty()) {
    writes.push_back({.file = "cpuset.mems", .value = resources.cpu().mems()});
  }
}

// "<digits><K|M|G|T|P>B": the part of a hugetlb file name that names the page
// size; anything else could name a file outside the controller.
bool IsPageSize(absl::string_view size) {
  if (size.size() < 3 || !absl::EndsWith(size, "B") ||
      !absl::StrContains("KMGTP", size[size.size() - 2])) {
    return false;
  }
  const absl::string_view digits = size.substr(0, size.size() - 2);
  return std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit);
}

absl::Status AppendHugetlb(const config::Resources& resources, std::vector<V2Write>& writes) {
  for (int i = 0; i < resources.hugepage_limits_size(); ++i) {
    const config::HugepageLimit& limit = resources.hugepage_limits(i);
    if (!IsPageSize(limit.page_size())) {
      return OutOfRange(absl::StrCat("linux.resources.hugepageLimits[", i, "].pageSize"),
                        absl::StrCat("\"", limit.page_size(), "\" is not a page size such as \"2MB\""));
    }
    const std::string prefix = absl::StrCat("hugetlb.", limit.page_size());
    writes.push_back({.file = absl::StrCat(prefix, ".max"), .value = absl::StrCat(limit.limit())});
    // Reservations (kernel 5.7+) get the same limit, as runc does.
    writes.push_back({.file = absl::StrCat(prefix, ".rsvd.max"),
                      .value = absl::StrCat(limit.limit()),
                      .optional = true});
  }
  return absl::OkStatus();
}

absl::Status AppendRdma(const config::Resources& resources, std::vector<V2Write>& writes) {
  std::vector<std::string> devices;
  for (const auto& [device, limits] : resources.rdma()) devices.push_back(device);
  std::sort(devices.begin(), devices.end());
  for (const std::string& device : devices) {
    const config::Rdma& limits = resources.rdma().at(device);
    if (device.empty() ||
        std::any_of(device.begin(), device.end(), [](char c) { return absl::ascii_isspace(c); })) {
      return OutOfRange(absl::StrCat("linux.resources.rdma[\"", device, "\"]"),
                        "not an RDMA device name");
    }
    std::string line = device;
    if (limits.has_hca_handles()) absl::StrAppend(&line, " hca_handle=", limits.hca_handles());
    if (limits.has_hca_objects()) absl::StrAppend(&line, " hca_object=", limits.hca_objects());
    if (line != device) writes.push_back({.file = "rdma.max", .value = line});
  }
  return absl::OkStatus();
}

absl::Status CheckNetwork(const config::Resources& resources) {
  if (resources.network().has_class_id()) {
    return NotSupported("linux.resources.network.classID", "net_cls");
  }
  if (resources.network().priorities_size() > 0) {
    return NotSupported("linux.resources.network.priorities", "net_prio");
  }
  return absl::OkStatus();
}

absl::Status AppendUnified(const config::Resources& resources, std::vector<V2Write>& writes) {
  std::vector<std::string> files;
  for (const auto& [file, value] : resources.unified()) files.push_back(file);
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    const std::string path = absl::StrCat("linux.resources.unified[\"", file, "\"]");
    if (absl::StrContains(file, "/")) {
      return OutOfRange(path, "must be a file name (no slashes)");
    }
    const size_t dot = file.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == file.size()) {
      return OutOfRange(path, "must be in the form CONTROLLER.PARAMETER");
    }
    const std::string& value = resources.unified().at(file);
    // An empty value is not written: for most files it would mean 0 (crun).
    if (value.empty()) continue;
    writes.push_back({.file = file, .value = value});
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t CpuSharesToWeight(uint64_t shares) { return 1 + ((shares - 2) * 9999) / 262142; }

uint64_t BlkioWeightToIoWeight(uint64_t weight) { return 1 + (weight - 10) * 9999 / 990; }

absl::StatusOr<int64_t> MemorySwapToV2(int64_t swap, int64_t limit) {
  if (limit == -1 && swap == 0) return -1;
  if (swap == -1 || swap == 0) return swap;
  if (limit == -1) return swap;
  if (limit == 0) return absl::InvalidArgumentError("unable to set swap limit without memory limit");
  if (limit < 0) return absl::InvalidArgumentError(absl::StrCat("invalid memory value: ", limit));
  if (swap < limit) {
    return absl::InvalidArgumentError("memory+swap limit should be >= memory limit");
  }
  return swap - limit;
}

absl::string_view ControllerOf(absl::string_view file) {
  return file.substr(0, file.find('.'));
}

absl::StatusOr<std::vector<V2Write>> ConvertToV2(const config::Resources& resources) {
  std::vector<V2Write> writes;
  RETURN_IF_ERROR(CheckNetwork(resources));
  RETURN_IF_ERROR(AppendPids(resources, writes));
  RETURN_IF_ERROR(AppendMemory(resources, writes));
  RETURN_IF_ERROR(AppendIo(resources, writes));
  RETURN_IF_ERROR(AppendCpu(resources, writes));
  AppendCpuset(resources, writes);
  RETURN_IF_ERROR(AppendHugetlb(resources, writes));
  RETURN_IF_ERROR(AppendRdma(resources, writes));
  RETURN_IF_ERROR(AppendUnified(resources, writes));
  return writes;
}

absl::Status CheckMemoryBeforeUpdate(const config::Memory& memory, uint64_t usage) {
  if (!memory.check_before_update()) return absl::OkStatus();
  if (memory.swap() > 0 && static_cast<uint64_t>(memory.swap()) <= usage) {
    return absl::FailedPreconditionError(
        absl::StrFormat("rejecting memory+swap limit %d <= usage %d", memory.swap(), usage));
  }
  if (memory.limit() > 0 && static_cast<uint64_t>(memory.limit()) <= usage) {
    return absl::FailedPreconditionError(
        absl::StrFormat("rejecting memory limit %d <= usage %d", memory.limit(), usage));
  }
  return absl::OkStatus();
}

}  // namespace hull::cgroups
