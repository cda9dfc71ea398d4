#include "base/cpu_progress.h"

#include "absl/status/status.h"
#include "base/proc_stat.h"
#include "base/status_macros.h"

namespace hull {

absl::StatusOr<uint64_t> ReadCpuTime(pid_t pid) {
  ASSIGN_OR_RETURN(const ProcStat stat, ReadProcStat(pid));
  return stat.utime + stat.stime;
}

void CpuProgress::Watch(pid_t pid) {
  pid_ = pid;
  sampled_ = false;
  quiet_ = 0;
}

absl::StatusOr<bool> CpuProgress::Stalled() {
  absl::StatusOr<uint64_t> cpu_time = read_cpu_time_(pid_);
  if (absl::IsNotFound(cpu_time.status())) {
    cpu_time = last_cpu_time_;
  }
  RETURN_IF_ERROR(cpu_time.status());
  if (!sampled_ || *cpu_time != last_cpu_time_) {
    sampled_ = true;
    last_cpu_time_ = *cpu_time;
    quiet_ = 0;
    return false;
  }
  ++quiet_;
  return quiet_ >= quiet_samples_;
}

}  // namespace hull
