#include "config/process_kernel_names.h"

#include <linux/ioprio.h>
#include <linux/mempolicy.h>
#include <linux/sched.h>
#include <sys/personality.h>

#include <utility>

namespace hull::config {
namespace {

template <typename T, size_t N>
absl::optional<T> Find(const std::pair<absl::string_view, T> (&table)[N], absl::string_view name) {
  for (const auto& [known, value] : table) {
    if (known == name) return value;
  }
  return absl::nullopt;
}

constexpr std::pair<absl::string_view, uint32_t> kPolicies[] = {
    {"SCHED_OTHER", SCHED_NORMAL}, {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},  {"SCHED_IDLE", SCHED_IDLE}, {"SCHED_DEADLINE", SCHED_DEADLINE},
};

constexpr std::pair<absl::string_view, uint64_t> kSchedulerFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

constexpr std::pair<absl::string_view, int> kIoPriorityClasses[] = {
    {"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
    {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
};

// MPOL_WEIGHTED_INTERLEAVE (Linux 6.9) is newer than the build's headers.
constexpr int kMpolWeightedInterleave = MPOL_PREFERRED_MANY + 1;

constexpr std::pair<absl::string_view, int> kMemoryPolicyModes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},
    {"MPOL_PREFERRED", MPOL_PREFERRED},
    {"MPOL_BIND", MPOL_BIND},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE},
    {"MPOL_LOCAL", MPOL_LOCAL},
    {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", kMpolWeightedInterleave},
};

constexpr std::pair<absl::string_view, int> kMemoryPolicyFlags[] = {
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
};

constexpr std::pair<absl::string_view, unsigned long> kPersonalityDomains[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};

}  // namespace

absl::optional<uint32_t> SchedulerPolicy(absl::string_view name) { return Find(kPolicies, name); }

absl::optional<uint64_t> SchedulerFlag(absl::string_view name) {
  return Find(kSchedulerFlags, name);
}

absl::optional<int> IoPriorityClass(absl::string_view name) {
  return Find(kIoPriorityClasses, name);
}

absl::optional<int> MemoryPolicyMode(absl::string_view name) {
  return Find(kMemoryPolicyModes, name);
}

absl::optional<int> MemoryPolicyFlag(absl::string_view name) {
  return Find(kMemoryPolicyFlags, name);
}

absl::optional<unsigned long> PersonalityDomain(absl::string_view name) {
  return Find(kPersonalityDomains, name);
}

}  // namespace hull::config
