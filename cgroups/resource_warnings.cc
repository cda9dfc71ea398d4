#include "cgroups/resource_warnings.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "glog/logging.h"
#include "cgroups/device_rules.h"

namespace hull::cgroups {

std::vector<std::string> ResourceWarnings(const config::Resources& resources) {
  std::vector<std::string> warnings;
  if (resources.memory().has_kernel() && resources.memory().kernel() != 0) {
    warnings.push_back(
        "linux.resources.memory.kernel is deprecated and ignored (Linux no longer limits kernel "
        "memory separately)");
  }
  const config::Cpu& cpu = resources.cpu();
  if (cpu.has_quota() && cpu.quota() > 0 && (!cpu.has_period() || cpu.period() == 0)) {
    warnings.push_back(absl::StrCat(
        "linux.resources.cpu.quota ", cpu.quota(),
        " without a period: taken in the cgroup's period (the kernel's default: 100000 us)"));
  }
  for (int i = 0; i < resources.devices_size(); ++i) {
    const std::string& access = resources.devices(i).access();
    if (access.find_first_not_of("rwm") != std::string::npos) {
      warnings.push_back(absl::StrCat(DeviceRulePath(i), ".access \"", access,
                                      "\": letters other than r, w and m are ignored"));
    }
  }
  return warnings;
}

void LogResourceWarnings(const config::Resources& resources) {
  for (const std::string& warning : ResourceWarnings(resources)) LOG(WARNING) << warning;
}

}  // namespace hull::cgroups
