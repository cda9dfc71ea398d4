// A foreground `run` or `exec`: the signals a shell sends to its foreground
// job go on to the container's process until it exits.
#ifndef HULL_TOOLS_LAUNCHER_SIGNAL_FORWARDING_H_
#define HULL_TOOLS_LAUNCHER_SIGNAL_FORWARDING_H_

#include <functional>

#include "absl/status/status.h"

namespace hull::launcher {

// Blocks SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 and SIGWINCH
// and passes each one that arrives to `forward` until the process named by
// `pidfd` exits (it is not reaped). Call it after the process was cloned:
// the blocked mask must not reach it.
absl::Status ForwardSignalsUntilExit(int pidfd, const std::function<absl::Status(int)>& forward);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_SIGNAL_FORWARDING_H_
