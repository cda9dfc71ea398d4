#include "runtime/process/signals.h"

#include <signal.h>

#include <cerrno>

#include "absl/status/status.h"
#include "base/status_util.h"

namespace hull::process {

absl::Status ResetSignals() {
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int signal = 1; signal < NSIG; ++signal) {
    if (signal == SIGKILL || signal == SIGSTOP) continue;
    // glibc reserves two real-time signals for itself and refuses them.
    if (sigaction(signal, &default_action, nullptr) != 0 && errno != EINVAL) {
      return ErrnoStatus("sigaction(", signal, ", SIG_DFL)");
    }
  }
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) return ErrnoStatus("sigprocmask(SIG_SETMASK)");
  return absl::OkStatus();
}

}  // namespace hull::process
