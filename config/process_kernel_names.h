// The kernel constants an OCI config names for a process's scheduling
// (process.scheduler), I/O priority (process.ioPriority), NUMA memory policy
// (linux.memoryPolicy) and execution domain (linux.personality). One table
// each, shared by the validator and the container init.
#ifndef HULL_CONFIG_PROCESS_KERNEL_NAMES_H_
#define HULL_CONFIG_PROCESS_KERNEL_NAMES_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace hull::config {

// "SCHED_OTHER" ... "SCHED_DEADLINE" -> sched_attr.sched_policy. SCHED_ISO is
// named by the spec but Linux reserves it without implementing it: nullopt.
absl::optional<uint32_t> SchedulerPolicy(absl::string_view name);

// "SCHED_FLAG_*" -> its bit of sched_attr.sched_flags.
absl::optional<uint64_t> SchedulerFlag(absl::string_view name);

// "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE" -> the class.
absl::optional<int> IoPriorityClass(absl::string_view name);

// "MPOL_*" mode -> set_mempolicy(2)'s mode.
absl::optional<int> MemoryPolicyMode(absl::string_view name);

// "MPOL_F_*" mode flag -> its bit of set_mempolicy(2)'s mode.
absl::optional<int> MemoryPolicyFlag(absl::string_view name);

// "LINUX", "LINUX32" -> the personality(2) execution domain.
absl::optional<unsigned long> PersonalityDomain(absl::string_view name);

}  // namespace hull::config

#endif  // HULL_CONFIG_PROCESS_KERNEL_NAMES_H_
