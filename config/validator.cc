// The validator's table of rules and its entry points. The rules live in one
// file per section of the spec (validator_rules.h lists them); this table
// fixes the order violations are reported in.

#include "config/validator.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "config/validator_internal.h"
#include "config/validator_rules.h"

namespace hull::config {
namespace validator_internal {
namespace {

using Rule = void (*)(const Spec&, Report&);

constexpr Rule kRules[] = {
    CheckOciVersion,
    CheckRoot,
    CheckProcessBasics,
    CheckCapabilities,
    CheckRlimits,
    CheckScheduler,
    CheckIoPriority,
    CheckExecCpuAffinity,
    CheckHostnames,
    CheckMounts,
    CheckHooks,
    CheckNamespaces,
    CheckUserNamespaceMappings,
    CheckTimeOffsets,
    CheckDevices,
    CheckCgroupsPath,
    CheckDeviceRules,
    CheckMemory,
    CheckCpu,
    CheckBlockIo,
    CheckHugepageLimits,
    CheckRdma,
    CheckUnified,
    CheckRootfsPropagation,
    CheckSeccomp,
    CheckSysctls,
    CheckMaskedAndReadonlyPaths,
    CheckIntelRdt,
    CheckPersonality,
    CheckMemoryPolicy,
    CheckNetDevices,
    CheckSecurityLabels,
    CheckUnimplemented,
};

}  // namespace
}  // namespace validator_internal

std::string ToString(const Violation& violation) {
  return absl::StrCat(violation.path, ": ", violation.message);
}

std::vector<Violation> FindViolations(const Spec& spec, const HostSupport& host) {
  validator_internal::Report report(host);
  for (const validator_internal::Rule rule : validator_internal::kRules) rule(spec, report);
  return report.Release();
}

namespace {

// The host is probed only for a config that names a security label: the
// probe reads sysfs (whose lock parallel creates of network namespaces
// hold) and procfs, and the labels are all it decides.
const HostSupport& HostSupportFor(const Spec& spec) {
  static constexpr HostSupport kNotProbed;
  const bool names_label = !spec.process().apparmor_profile().empty() ||
                           !spec.process().selinux_label().empty() ||
                           !spec.linux().mount_label().empty();
  return names_label ? DetectedHostSupport() : kNotProbed;
}

}  // namespace

std::vector<Violation> FindViolations(const Spec& spec) {
  return FindViolations(spec, HostSupportFor(spec));
}

absl::Status ValidateSpec(const Spec& spec) { return ValidateSpec(spec, HostSupportFor(spec)); }

absl::Status ValidateSpec(const Spec& spec, const HostSupport& host) {
  const std::vector<Violation> violations = FindViolations(spec, host);
  if (violations.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(
      violations, "\n",
      [](std::string* out, const Violation& violation) { out->append(ToString(violation)); }));
}

}  // namespace hull::config
