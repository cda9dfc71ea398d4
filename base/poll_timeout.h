// poll(2)'s timeout argument for a deadline.
#ifndef HULL_BASE_POLL_TIMEOUT_H_
#define HULL_BASE_POLL_TIMEOUT_H_

#include <algorithm>
#include <climits>
#include <cstdint>

#include "absl/time/time.h"
#include "base/wall_clock.h"

namespace hull {

// The milliseconds left until `deadline`, rounded up (a poll that returns
// early would spin) and at least 0; -1 (wait forever) for InfiniteFuture.
inline int PollTimeoutMs(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return -1;
  const absl::Duration left = std::max(deadline - WallClockNow(), absl::ZeroDuration());
  return static_cast<int>(std::min<int64_t>(
      absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1))), INT_MAX));
}

// The deadline `timeout` from now; InfiniteFuture for InfiniteDuration.
inline absl::Time DeadlineIn(absl::Duration timeout) {
  return timeout == absl::InfiniteDuration() ? absl::InfiniteFuture() : WallClockNow() + timeout;
}

}  // namespace hull

#endif  // HULL_BASE_POLL_TIMEOUT_H_
