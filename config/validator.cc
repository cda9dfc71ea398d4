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

namespace {

std::vector<Violation> RunRules(const Spec& spec, validator_internal::Report& report) {
  for (const validator_internal::Rule rule : validator_internal::kRules) rule(spec, report);
  return report.Release();
}

absl::Status StatusOf(const std::vector<Violation>& violations) {
  if (violations.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(
      violations, "\n",
      [](std::string* out, const Violation& violation) { out->append(ToString(violation)); }));
}

}  // namespace

std::vector<Violation> FindViolations(const Spec& spec, const HostSupport& host) {
  validator_internal::Report report(host);
  return RunRules(spec, report);
}

std::vector<Violation> FindViolations(const Spec& spec) {
  validator_internal::Report report;
  return RunRules(spec, report);
}

absl::Status ValidateSpec(const Spec& spec) { return StatusOf(FindViolations(spec)); }

absl::Status ValidateSpec(const Spec& spec, const HostSupport& host) {
  return StatusOf(FindViolations(spec, host));
}

}  // namespace hull::config
