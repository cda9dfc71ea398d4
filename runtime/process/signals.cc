#include "runtime/process/signals.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "absl/status/status.h"
#include "base/status_util.h"

namespace hull::process {
namespace {

// The kernel's struct sigaction. glibc's sigaction() refuses the two
// real-time signals it reserves (32 and 33), which an ignoring parent may
// still have set to SIG_IGN: the raw system call reaches them too.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

}  // namespace

absl::Status ResetSignals() {
  const KernelSigaction default_action = {.handler = SIG_DFL, .flags = 0, .restorer = nullptr,
                                          .mask = 0};
  for (int signal = 1; signal < NSIG; ++signal) {
    if (signal == SIGKILL || signal == SIGSTOP) continue;
    if (syscall(SYS_rt_sigaction, signal, &default_action, nullptr, sizeof(uint64_t)) != 0) {
      return ErrnoStatus("rt_sigaction(", signal, ", SIG_DFL)");
    }
  }
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) return ErrnoStatus("sigprocmask(SIG_SETMASK)");
  return absl::OkStatus();
}

}  // namespace hull::process
