// The signal state a process Hull starts hands to the container: every
// disposition default and nothing blocked. Ignored dispositions and the
// blocked mask survive execve, so a container started from nohup, a daemon
// or a program that blocks signals would otherwise inherit them (and could
// not even trap SIGINT).
#ifndef HULL_RUNTIME_PROCESS_SIGNALS_H_
#define HULL_RUNTIME_PROCESS_SIGNALS_H_

#include "absl/status/status.h"

namespace hull::process {

// Sets every signal's disposition to SIG_DFL and unblocks every signal.
absl::Status ResetSignals();

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_SIGNALS_H_
