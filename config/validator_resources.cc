// The rules of linux.cgroupsPath and linux.resources: device rules, memory,
// cpu, blockIO, hugepageLimits, rdma, unified.

#include "config/validator_rules.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "config/validator_internal.h"

namespace hull::config::validator_internal {
namespace {

bool HasDotDotComponent(absl::string_view path) {
  for (absl::string_view component : absl::StrSplit(path, '/')) {
    if (component == "..") return true;
  }
  return false;
}

}  // namespace

// cgroupfs takes a path; systemd takes "slice:prefix:name".
void CheckCgroupsPath(const Spec& spec, Report& report) {
  const absl::string_view cgroups_path = spec.linux().cgroups_path();
  if (cgroups_path.find(':') != absl::string_view::npos) {
    const std::vector<absl::string_view> parts = absl::StrSplit(cgroups_path, ':');
    const bool well_formed = parts.size() == 3 && !parts[2].empty() &&
                             (parts[0].empty() || absl::EndsWith(parts[0], ".slice")) &&
                             std::none_of(parts.begin(), parts.end(), [](absl::string_view part) {
                               return absl::StrContains(part, "/");
                             });
    if (!well_formed) {
      report.Add("linux.cgroupsPath",
                 absl::StrCat(Quote(cgroups_path),
                              " is neither a path nor systemd's \"slice:prefix:name\""));
    }
  }
  if (HasDotDotComponent(cgroups_path)) {
    report.Add("linux.cgroupsPath", "must not contain \"..\" components");
  }
}

void CheckDeviceRules(const Spec& spec, Report& report) {
  const auto& rules = spec.linux().resources().devices();
  for (int i = 0; i < rules.size(); ++i) {
    const DeviceCgroup& rule = rules[i];
    const std::string path = Index("linux.resources.devices", i);
    const absl::string_view type = rule.type();
    if (!type.empty() && type != "a" && type != "c" && type != "b") {
      report.Add(Field(path, "type"),
                 absl::StrCat("unknown device type ", Quote(type), " (a, c or b)"));
    }
    // As runc, repeated letters and letters other than r, w, m are
    // accepted (the cgroup managers ignore the others, with a warning); an
    // access without any of the three means nothing.
    const absl::string_view access = rule.access();
    if (access.find_first_of("rwm") == absl::string_view::npos) {
      report.Add(Field(path, "access"), absl::StrCat(Quote(access), " has none of r, w and m"));
    }
  }
}

void CheckMemory(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_memory()) return;
  const Memory& memory = spec.linux().resources().memory();
  const std::string path = "linux.resources.memory";
  const auto check_limit = [&](bool present, int64_t limit, absl::string_view name) {
    if (present && limit < -1) {
      report.Add(Field(path, name), absl::StrCat(limit, " is neither bytes nor -1 (unlimited)"));
    }
  };
  check_limit(memory.has_limit(), memory.limit(), "limit");
  check_limit(memory.has_reservation(), memory.reservation(), "reservation");
  check_limit(memory.has_swap(), memory.swap(), "swap");
  check_limit(memory.has_kernel(), memory.kernel(), "kernel");
  check_limit(memory.has_kernel_tcp(), memory.kernel_tcp(), "kernelTCP");
  if (memory.has_swap() && memory.has_limit() && memory.swap() > 0 && memory.limit() > 0 &&
      memory.swap() < memory.limit()) {
    report.Add(Field(path, "swap"),
               absl::StrCat(memory.swap(), " is below the memory limit ", memory.limit(),
                            " (swap counts memory plus swap)"));
  }
  if (memory.has_swappiness() && memory.swappiness() > 100) {
    report.Add(Field(path, "swappiness"),
               absl::StrCat(memory.swappiness(), " is outside [0, 100]"));
  }
}

void CheckCpu(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_cpu()) return;
  const Cpu& cpu = spec.linux().resources().cpu();
  const std::string path = "linux.resources.cpu";
  // A quota without a period is taken in the cgroup's period (the kernel's
  // default, 100 ms): runc accepts it, and the cgroup managers warn.
  if (cpu.has_burst() && cpu.has_quota() && cpu.quota() > 0 &&
      cpu.burst() > static_cast<uint64_t>(cpu.quota())) {
    report.Add(Field(path, "burst"),
               absl::StrCat(cpu.burst(), " is above the quota ", cpu.quota()));
  }
  if (!cpu.cpus().empty() && !IsCpusetList(cpu.cpus())) {
    report.Add(Field(path, "cpus"),
               absl::StrCat(Quote(cpu.cpus()), " is not a CPU list such as \"0-3,5\""));
  }
  if (!cpu.mems().empty() && !IsCpusetList(cpu.mems())) {
    report.Add(Field(path, "mems"),
               absl::StrCat(Quote(cpu.mems()), " is not a node list such as \"0-3,5\""));
  }
  if (cpu.has_idle() && cpu.idle() != 0 && cpu.idle() != 1) {
    report.Add(Field(path, "idle"), absl::StrCat(cpu.idle(), " is neither 0 nor 1"));
  }
}

void CheckBlockIo(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_block_io()) return;
  const BlockIo& block_io = spec.linux().resources().block_io();
  const std::string path = "linux.resources.blockIO";
  const auto check_weight = [&](bool present, uint32_t weight, const std::string& weight_path) {
    if (present && (weight < 10 || weight > 1000)) {
      report.Add(weight_path, absl::StrCat(weight, " is outside [10, 1000]"));
    }
  };
  check_weight(block_io.has_weight(), block_io.weight(), Field(path, "weight"));
  check_weight(block_io.has_leaf_weight(), block_io.leaf_weight(), Field(path, "leafWeight"));
  for (int i = 0; i < block_io.weight_device_size(); ++i) {
    const WeightDevice& device = block_io.weight_device(i);
    const std::string device_path = Index(Field(path, "weightDevice"), i);
    if (!device.has_weight() && !device.has_leaf_weight()) {
      report.Add(device_path, "needs weight, leafWeight or both");
    }
    check_weight(device.has_weight(), device.weight(), Field(device_path, "weight"));
    check_weight(device.has_leaf_weight(), device.leaf_weight(), Field(device_path, "leafWeight"));
  }
}

// "<size><unit-prefix>B": 64KB, 2MB, 1GB.
void CheckHugepageLimits(const Spec& spec, Report& report) {
  const auto& limits = spec.linux().resources().hugepage_limits();
  for (int i = 0; i < limits.size(); ++i) {
    const absl::string_view size = limits[i].page_size();
    const bool well_formed = size.size() > 2 && absl::EndsWith(size, "B") &&
                             absl::StrContains("KMGTP", size[size.size() - 2]) &&
                             IsDecimal(size.substr(0, size.size() - 2));
    if (!well_formed) {
      report.Add(Field(Index("linux.resources.hugepageLimits", i), "pageSize"),
                 absl::StrCat(Quote(size), " is not a page size such as \"2MB\""));
    }
  }
}

void CheckRdma(const Spec& spec, Report& report) {
  const auto& rdma = spec.linux().resources().rdma();
  for (const std::string& device : SortedKeys(rdma)) {
    const Rdma& limits = rdma.at(device);
    if (!limits.has_hca_handles() && !limits.has_hca_objects()) {
      report.Add(Key("linux.resources.rdma", device), "needs hcaHandles, hcaObjects or both");
    }
  }
}

// Keys name files written in the container's cgroup directory.
void CheckUnified(const Spec& spec, Report& report) {
  for (const std::string& file : SortedKeys(spec.linux().resources().unified())) {
    const size_t dot = file.find('.');
    if (absl::StrContains(file, "/") || dot == std::string::npos || dot == 0 ||
        dot + 1 == file.size()) {
      report.Add(Key("linux.resources.unified", file),
                 "not a cgroup file name such as \"memory.max\"");
    }
  }
}

}  // namespace hull::config::validator_internal
