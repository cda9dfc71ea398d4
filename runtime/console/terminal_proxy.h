// The relay between a foreground process's pty and the caller's own stdio,
// as runc's `run` does for a container with a terminal (its tty.go): the
// caller's terminal in raw mode, its window size copied to the pty at the
// start and at every SIGWINCH, what the user types copied to the pty and
// what the pty prints copied out, until the process exits.
//
//   ASSIGN_OR_RETURN(TerminalProxy proxy, TerminalProxy::Start({master, 0, 1}));
//   ... start the process ...
//   RETURN_IF_ERROR(proxy.RelayUntilExit(pidfd, signalfd, forward));
#ifndef HULL_RUNTIME_CONSOLE_TERMINAL_PROXY_H_
#define HULL_RUNTIME_CONSOLE_TERMINAL_PROXY_H_

#include <functional>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/console/raw_mode.h"

namespace hull::console {

struct ProxyEnds {
  int master;  // the process's pty master (made non-blocking)
  int in;      // what the user types: the caller's stdin
  int out;     // where the process's output goes: the caller's stdout
};

class TerminalProxy {
 public:
  // Readies the relay before the process runs, as runc does once it has the
  // master: `in`, when a terminal, in raw mode (console/raw_mode.h) until
  // the proxy is destroyed; the pty's ONLCR cleared, so that what comes out
  // is the process's own bytes and the caller's terminal adds the CR (a
  // shell keeps the settings it found when it started); the pty as large as
  // the caller's terminal (`in`, else `out`).
  static absl::StatusOr<TerminalProxy> Start(const ProxyEnds& ends);

  TerminalProxy(TerminalProxy&&) = default;
  TerminalProxy& operator=(TerminalProxy&&) = delete;

  // Relays until the process whose pidfd is `process` has exited, then
  // writes out what the pty still holds (until its slave is closed
  // everywhere, or nothing more comes for a moment: something the process
  // left may hold it). `signals` is a signalfd of the signals the caller
  // blocked for its foreground process: SIGWINCH resizes the pty, every
  // other one goes to `forward`.
  absl::Status RelayUntilExit(int process, int signals,
                              const std::function<void(int signal)>& forward);

 private:
  TerminalProxy(const ProxyEnds& ends, int terminal, std::optional<RawMode> raw)
      : ends_(ends), terminal_(terminal), raw_(std::move(raw)) {}

  // The caller's terminal's size to the pty; as runc, a failure is no
  // error (the caller's terminal may be gone).
  void Resize();

  ProxyEnds ends_;
  int terminal_;  // the caller's terminal the pty follows, or -1
  std::optional<RawMode> raw_;
};

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_TERMINAL_PROXY_H_
