#include "statemachine/process_probe.h"

#include <sys/types.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/proc_stat.h"
#include "base/status_macros.h"

namespace hull::statemachine {

absl::StatusOr<bool> LinuxProcessProbe::IsAlive(pid_t pid, uint64_t start_time) {
  absl::StatusOr<ProcStat> stat = ReadProcStat(pid);
  if (absl::IsNotFound(stat.status())) return false;
  RETURN_IF_ERROR(stat.status());
  // Z: a zombie; X: dead, being reaped.
  if (stat->state == 'Z' || stat->state == 'X') return false;
  return stat->start_time == start_time;
}

}  // namespace hull::statemachine
