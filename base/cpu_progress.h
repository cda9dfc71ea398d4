// Tells a process that is slow from one that is stuck, by its CPU time
// (utime + stime of /proc/<pid>/stat): on a loaded or emulated machine a
// process at work keeps using CPU, however little; one that waits for what
// never comes uses none.
#ifndef HULL_BASE_CPU_PROGRESS_H_
#define HULL_BASE_CPU_PROGRESS_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"

namespace hull {

// The CPU time `pid` has used, in clock ticks (utime + stime).
absl::StatusOr<uint64_t> ReadCpuTime(pid_t pid);

// Samples a process's CPU time. The caller samples at its own pace (each time
// a wait for the process times out): a caller that is itself starved of CPU
// takes fewer samples, so it never blames the process for a time in which it
// did not run either.
class CpuProgress {
 public:
  using CpuTimeReader = std::function<absl::StatusOr<uint64_t>(pid_t)>;

  // Stalled once `quiet_samples` samples in a row after the first saw the
  // CPU time of `pid` unchanged.
  CpuProgress(pid_t pid, int quiet_samples, CpuTimeReader read_cpu_time = ReadCpuTime)
      : pid_(pid), quiet_samples_(quiet_samples), read_cpu_time_(std::move(read_cpu_time)) {}

  // Watches `pid` from now on, afresh (the next sample is a first one).
  void Watch(pid_t pid);

  // Takes a sample: true once the process is stalled. A process that is gone
  // (NotFound) has stopped: its samples count as unchanged.
  absl::StatusOr<bool> Stalled();

 private:
  pid_t pid_;
  const int quiet_samples_;
  const CpuTimeReader read_cpu_time_;
  bool sampled_ = false;
  uint64_t last_cpu_time_ = 0;
  int quiet_ = 0;
};

}  // namespace hull

#endif  // HULL_BASE_CPU_PROGRESS_H_
