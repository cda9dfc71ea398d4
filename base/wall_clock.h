// The wall clock, read from the kernel at each call.
#ifndef HULL_BASE_WALL_CLOCK_H_
#define HULL_BASE_WALL_CLOCK_H_

#include <time.h>

#include "absl/time/time.h"

namespace hull {

// What absl::Now() says, without its cycle clock: absl::Now() first
// calibrates that against the kernel's clock, a loop of clock_gettime calls,
// which are syscalls where the vDSO has no fast clock (a VM on hpet: about
// 150 per container process) and which does not end when each call takes
// over a million cycles (strace in an emulated VM).
inline absl::Time WallClockNow() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return absl::TimeFromTimespec(now);
}

}  // namespace hull

#endif  // HULL_BASE_WALL_CLOCK_H_
