// process.execCPUAffinity (runtime-spec 1.2, as runc 1.2 applies it): the CPUs
// a process `exec` starts runs on, `initial` before it joins the container's
// cgroups, `final` after. With `initial` alone, the process is then allowed
// every CPU again (as much as the container's cpuset allows), so the
// transient pinning does not stick. Not applied to the container's init
// (the spec: execCPUAffinity is for exec'd processes).
#ifndef HULL_RUNTIME_PROCESS_CPU_AFFINITY_H_
#define HULL_RUNTIME_PROCESS_CPU_AFFINITY_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"

namespace hull::process {

// sched_setaffinity of the calling process.
class CpuAffinityControl {
 public:
  virtual ~CpuAffinityControl() = default;
  virtual absl::Status Set(const std::vector<uint64_t>& mask) = 0;
};

class LinuxCpuAffinityControl final : public CpuAffinityControl {
 public:
  absl::Status Set(const std::vector<uint64_t>& mask) override;
};

// execCPUAffinity.initial, when set.
absl::Status ApplyInitialCpuAffinity(const config::Process& process, CpuAffinityControl& control);

// execCPUAffinity.final when set; every CPU when only `initial` is; nothing
// without execCPUAffinity.
absl::Status ApplyFinalCpuAffinity(const config::Process& process, CpuAffinityControl& control);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_CPU_AFFINITY_H_
