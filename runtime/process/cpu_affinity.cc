#include "runtime/process/cpu_affinity.h"

#include <sched.h>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/cpu_list.h"

namespace hull::process {
namespace {

// NR_CPUS at its largest.
constexpr uint32_t kMaxCpus = 8192;

absl::Status SetList(absl::string_view field, absl::string_view list,
                     CpuAffinityControl& control) {
  const std::string path = absl::StrCat("process.execCPUAffinity.", field);
  absl::StatusOr<std::vector<uint64_t>> mask = config::CpuListMask(list, kMaxCpus);
  if (!mask.ok()) return Annotate(mask.status(), path);
  return Annotate(control.Set(*mask), absl::StrCat(path, " \"", list, "\""));
}

}  // namespace

absl::Status LinuxCpuAffinityControl::Set(const std::vector<uint64_t>& mask) {
  if (sched_setaffinity(0, mask.size() * sizeof(uint64_t),
                        reinterpret_cast<const cpu_set_t*>(mask.data())) != 0) {
    return ErrnoStatus("sched_setaffinity");
  }
  return absl::OkStatus();
}

absl::Status ApplyInitialCpuAffinity(const config::Process& process,
                                     CpuAffinityControl& control) {
  const std::string& initial = process.exec_cpu_affinity().initial();
  if (initial.empty()) return absl::OkStatus();
  return SetList("initial", initial, control);
}

absl::Status ApplyFinalCpuAffinity(const config::Process& process, CpuAffinityControl& control) {
  if (!process.has_exec_cpu_affinity()) return absl::OkStatus();
  const config::ExecCpuAffinity& affinity = process.exec_cpu_affinity();
  if (!affinity.final_cpus().empty()) return SetList("final", affinity.final_cpus(), control);
  if (affinity.initial().empty()) return absl::OkStatus();
  // The kernel keeps only the CPUs that exist and that the cpuset allows.
  return Annotate(control.Set(std::vector<uint64_t>(kMaxCpus / 64, ~uint64_t{0})),
                  "allow every CPU again after process.execCPUAffinity.initial");
}

}  // namespace hull::process
