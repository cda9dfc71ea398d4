// The validator's rules, one function each, grouped by the file (the spec's
// section) that defines them. validator.cc runs them in the order of its
// table, which is the order violations are reported in. Internal to
// //config:validator.
#ifndef HULL_CONFIG_VALIDATOR_RULES_H_
#define HULL_CONFIG_VALIDATOR_RULES_H_

#include "config/runtime_spec.pb.h"
#include "config/validator_internal.h"

namespace hull::config::validator_internal {

// validator_top_level.cc: ociVersion, root, hostname and domainname, mounts,
// hooks.
void CheckOciVersion(const Spec& spec, Report& report);
void CheckRoot(const Spec& spec, Report& report);
void CheckHostnames(const Spec& spec, Report& report);
void CheckMounts(const Spec& spec, Report& report);
void CheckHooks(const Spec& spec, Report& report);

// validator_process.cc: process.
void CheckProcessBasics(const Spec& spec, Report& report);
void CheckCapabilities(const Spec& spec, Report& report);
void CheckRlimits(const Spec& spec, Report& report);
void CheckScheduler(const Spec& spec, Report& report);
void CheckIoPriority(const Spec& spec, Report& report);
void CheckExecCpuAffinity(const Spec& spec, Report& report);

// validator_linux.cc: linux, except resources, cgroupsPath and seccomp.
void CheckNamespaces(const Spec& spec, Report& report);
void CheckUserNamespaceMappings(const Spec& spec, Report& report);
void CheckTimeOffsets(const Spec& spec, Report& report);
void CheckDevices(const Spec& spec, Report& report);
void CheckRootfsPropagation(const Spec& spec, Report& report);
void CheckSysctls(const Spec& spec, Report& report);
void CheckMaskedAndReadonlyPaths(const Spec& spec, Report& report);
void CheckIntelRdt(const Spec& spec, Report& report);
void CheckPersonality(const Spec& spec, Report& report);
void CheckMemoryPolicy(const Spec& spec, Report& report);
void CheckNetDevices(const Spec& spec, Report& report);

// validator_resources.cc: linux.cgroupsPath and linux.resources.
void CheckCgroupsPath(const Spec& spec, Report& report);
void CheckDeviceRules(const Spec& spec, Report& report);
void CheckMemory(const Spec& spec, Report& report);
void CheckCpu(const Spec& spec, Report& report);
void CheckBlockIo(const Spec& spec, Report& report);
void CheckHugepageLimits(const Spec& spec, Report& report);
void CheckRdma(const Spec& spec, Report& report);
void CheckUnified(const Spec& spec, Report& report);

// validator_unsupported.cc: what Hull cannot honour, here or anywhere yet.
void CheckSecurityLabels(const Spec& spec, Report& report);
void CheckUnimplemented(const Spec& spec, Report& report);

// validator_seccomp.cc: linux.seccomp.
void CheckSeccomp(const Spec& spec, Report& report);

}  // namespace hull::config::validator_internal

#endif  // HULL_CONFIG_VALIDATOR_RULES_H_
