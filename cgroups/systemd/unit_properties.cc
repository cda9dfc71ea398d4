#include "cgroups/systemd/unit_properties.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "cgroups/v2_conversion.h"
#include "config/cpu_list.h"
#include "glog/logging.h"

namespace hull::cgroups::systemd {
namespace {

// The kernel's default CFS period, which runc assumes for a quota without one.
constexpr uint64_t kDefaultCpuPeriodUSec = 100000;
// systemd keeps CPUQuota as a whole percentage: 10 ms of CPU per second.
constexpr uint64_t kCpuQuotaGranularityUSec = 10000;

// A limit of the OCI config: -1 is infinity.
uint64_t Limit(int64_t value) { return value == -1 ? kInfinity : static_cast<uint64_t>(value); }

// One node or group of the allow-list, as the rules leave it.
struct AllowedDevice {
  char type;  // 'b' or 'c'
  std::optional<int64_t> major, minor;
  std::string access;  // of "rwm", in that order
};

std::string Access(absl::string_view access, absl::string_view without = "") {
  std::string result;
  for (char letter : {'r', 'w', 'm'}) {
    if (access.find(letter) != absl::string_view::npos &&
        without.find(letter) == absl::string_view::npos) {
      result.push_back(letter);
    }
  }
  return result;
}

// The group /proc/devices names for `major` ("pts" for c 136), or "".
std::string DeviceGroup(absl::string_view proc_devices, char type, int64_t major) {
  const absl::string_view section = type == 'b' ? "Block devices:" : "Character devices:";
  bool in_section = false;
  for (absl::string_view line : absl::StrSplit(proc_devices, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::EndsWith(line, ":")) {
      in_section = line == section;
      continue;
    }
    if (!in_section) continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    int64_t number;
    if (fields.size() == 2 && absl::SimpleAtoi(fields[0], &number) && number == major) {
      return std::string(fields[1]);
    }
  }
  return "";
}

// The DeviceAllow path of `device`, or "" when systemd cannot name it.
std::string DeviceAllowPath(const AllowedDevice& device, absl::string_view proc_devices) {
  const absl::string_view kind = device.type == 'b' ? "block" : "char";
  if (!device.major.has_value()) {
    if (!device.minor.has_value()) return absl::StrCat(kind, "-*");
    LOG(WARNING) << "systemd cannot say device rule " << device.type << " *:" << *device.minor
                 << ": left to the cgroup's own device rules";
    return "";
  }
  if (!device.minor.has_value()) {
    const std::string group = DeviceGroup(proc_devices, device.type, *device.major);
    if (group.empty()) {
      LOG(WARNING) << "no device group for " << device.type << " " << *device.major
                   << ":* in /proc/devices: left to the cgroup's own device rules";
      return "";
    }
    return absl::StrCat(kind, "-", group);
  }
  return absl::StrCat("/dev/", kind, "/", *device.major, ":", *device.minor);
}

}  // namespace

std::vector<UnitProperty> ScopeProperties(absl::string_view slice, absl::string_view description,
                                          pid_t pid, bool unified) {
  return {
      {"Description", std::string(description)},
      {"Slice", std::string(slice)},
      {"Delegate", true},
      {"PIDs", std::vector<uint32_t>{static_cast<uint32_t>(pid)}},
      {"MemoryAccounting", true},
      {"CPUAccounting", true},
      {unified ? "IOAccounting" : "BlockIOAccounting", true},
      {"TasksAccounting", true},
      {"DefaultDependencies", false},
  };
}

uint64_t CpuQuotaPerSecUSec(int64_t quota, uint64_t period) {
  if (quota <= 0) return kInfinity;
  if (period == 0) period = kDefaultCpuPeriodUSec;
  const uint64_t per_second = static_cast<uint64_t>(quota) * 1000000 / period;
  return (per_second + kCpuQuotaGranularityUSec - 1) / kCpuQuotaGranularityUSec *
         kCpuQuotaGranularityUSec;
}

absl::StatusOr<std::vector<uint8_t>> CpuListBytes(absl::string_view list) {
  ASSIGN_OR_RETURN(const std::vector<config::CpuRange> ranges, config::ParseCpuList(list));
  std::vector<uint8_t> bytes;
  for (const config::CpuRange& range : ranges) {
    for (uint32_t number = range.first; number <= range.last; ++number) {
      if (bytes.size() <= number / 8) bytes.resize(number / 8 + 1);
      bytes[number / 8] |= static_cast<uint8_t>(1u << (number % 8));
    }
  }
  return bytes;
}

std::vector<UnitProperty> DeviceProperties(
    const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules,
    absl::string_view proc_devices) {
  // The kernel's device cgroup, as runc's emulator: deny-all to start with;
  // "a" rules reset to allow-all or deny-all.
  bool allow_all = false;
  bool denies_in_allow_all = false;
  std::vector<AllowedDevice> allowed;
  for (const config::DeviceCgroup& rule : rules) {
    const char type = rule.type().empty() ? 'a' : rule.type()[0];
    if (type == 'a') {
      allow_all = rule.allow();
      denies_in_allow_all = false;
      allowed.clear();
      continue;
    }
    if (allow_all) {
      denies_in_allow_all |= !rule.allow();
      continue;
    }
    AllowedDevice device{
        .type = type,
        .major = rule.has_major() && rule.major() >= 0 ? std::optional<int64_t>(rule.major())
                                                       : std::nullopt,
        .minor = rule.has_minor() && rule.minor() >= 0 ? std::optional<int64_t>(rule.minor())
                                                       : std::nullopt};
    auto same = std::find_if(allowed.begin(), allowed.end(), [&](const AllowedDevice& other) {
      return other.type == device.type && other.major == device.major &&
             other.minor == device.minor;
    });
    if (rule.allow()) {
      if (same == allowed.end()) {
        device.access = Access(rule.access());
        allowed.push_back(device);
      } else {
        same->access = Access(same->access + rule.access());
      }
    } else if (same != allowed.end()) {
      same->access = Access(same->access, rule.access());
      if (same->access.empty()) allowed.erase(same);
    }
  }
  if (allow_all) {
    if (denies_in_allow_all) {
      LOG(WARNING) << "systemd cannot say a device deny-list: the unit allows every device and "
                      "the cgroup's own device rules deny";
    }
    return {{"DevicePolicy", std::string("auto")}, {"DeviceAllow", std::vector<DeviceAllow>{}}};
  }
  std::vector<DeviceAllow> allow;
  for (const AllowedDevice& device : allowed) {
    std::string path = DeviceAllowPath(device, proc_devices);
    if (!path.empty()) allow.push_back({.path = std::move(path), .access = device.access});
  }
  return {{"DevicePolicy", std::string("strict")}, {"DeviceAllow", std::move(allow)}};
}

absl::StatusOr<std::vector<UnitProperty>> ResourceProperties(const config::Resources& resources,
                                                             bool unified,
                                                             absl::string_view proc_devices) {
  std::vector<UnitProperty> properties;
  const config::Memory& memory = resources.memory();
  if (memory.limit() != 0) {
    properties.push_back({unified ? "MemoryMax" : "MemoryLimit", Limit(memory.limit())});
  }
  if (unified) {
    if (memory.reservation() != 0) {
      properties.push_back({"MemoryLow", Limit(memory.reservation())});
    }
    absl::StatusOr<int64_t> swap = MemorySwapToV2(memory.swap(), memory.limit());
    if (!swap.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("linux.resources.memory.swap: ", swap.status().message()));
    }
    // Swap equal to the memory limit: no swap at all.
    if (*swap != 0 || memory.swap() > 0) properties.push_back({"MemorySwapMax", Limit(*swap)});
  }
  if (resources.pids().limit() > 0 || resources.pids().limit() == -1) {
    properties.push_back({"TasksMax", Limit(resources.pids().limit())});
  }
  const config::Cpu& cpu = resources.cpu();
  if (cpu.shares() != 0) {
    if (unified) {
      properties.push_back({"CPUWeight", CpuSharesToWeight(cpu.shares())});
    } else {
      properties.push_back({"CPUShares", uint64_t{cpu.shares()}});
    }
  }
  if (cpu.period() != 0) properties.push_back({"CPUQuotaPeriodUSec", uint64_t{cpu.period()}});
  if (cpu.quota() != 0 || cpu.period() != 0) {
    properties.push_back({"CPUQuotaPerSecUSec", CpuQuotaPerSecUSec(cpu.quota(), cpu.period())});
  }
  if (unified) {
    if (!cpu.cpus().empty()) {
      ASSIGN_OR_RETURN(std::vector<uint8_t> cpus, CpuListBytes(cpu.cpus()));
      properties.push_back({"AllowedCPUs", std::move(cpus)});
    }
    if (!cpu.mems().empty()) {
      ASSIGN_OR_RETURN(std::vector<uint8_t> mems, CpuListBytes(cpu.mems()));
      properties.push_back({"AllowedMemoryNodes", std::move(mems)});
    }
  }
  if (const uint32_t weight = resources.block_io().weight(); weight != 0) {
    if (unified) {
      properties.push_back({"IOWeight", BlkioWeightToIoWeight(weight)});
    } else {
      properties.push_back({"BlockIOWeight", uint64_t{weight}});
    }
  }
  if (!resources.devices().empty()) {
    for (UnitProperty& property : DeviceProperties(resources.devices(), proc_devices)) {
      properties.push_back(std::move(property));
    }
  }
  return properties;
}

}  // namespace hull::cgroups::systemd
