// What a foreground `hull run` does while its container's process runs (and
// what a foreground exec does for its own): the signals a shell sends to its
// foreground job go on to the process, and a process with a terminal has its
// pty relayed to hull's stdin and stdout (runtime/console/terminal_proxy.h).
#ifndef HULL_TOOLS_LAUNCHER_FOREGROUND_H_
#define HULL_TOOLS_LAUNCHER_FOREGROUND_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/console/terminal_proxy.h"
#include "runtime/container.h"

namespace hull::launcher {

// Until the process whose pidfd is `process` exits, hands SIGHUP, SIGINT,
// SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 and SIGWINCH to `forward` (they stay
// blocked afterwards). With a `terminal` (null: none; started before the
// process was), its pty is relayed meanwhile, and SIGWINCH resizes it
// instead.
absl::Status ForwardUntilExit(int process, console::TerminalProxy* terminal,
                              const std::function<void(int signal)>& forward);

// Forwards the shell's signals to the init of `container`, which this process
// created (or restored), and relays its `terminal` (or none), until it
// exits; returns its shell exit code.
absl::StatusOr<int> WaitInForeground(runtime::Container& container,
                                     console::TerminalProxy* terminal);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_FOREGROUND_H_
