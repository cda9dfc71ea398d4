// What a foreground `hull run` does while its container's process runs (and
// what a foreground exec does for its own): the signals a shell sends to its
// foreground job go on to the process, and a process with a terminal has its
// pty relayed to hull's stdin and stdout (runtime/console/terminal_proxy.h).
#ifndef HULL_TOOLS_LAUNCHER_FOREGROUND_H_
#define HULL_TOOLS_LAUNCHER_FOREGROUND_H_

#include <functional>

#include "absl/status/status.h"
#include "runtime/console/terminal_proxy.h"

namespace hull::launcher {

// Until the process whose pidfd is `process` exits, hands SIGHUP, SIGINT,
// SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 and SIGWINCH to `forward` (they stay
// blocked afterwards). With a `terminal` (null: none; started before the
// process was), its pty is relayed meanwhile, and SIGWINCH resizes it
// instead.
absl::Status ForwardUntilExit(int process, console::TerminalProxy* terminal,
                              const std::function<void(int signal)>& forward);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_FOREGROUND_H_
