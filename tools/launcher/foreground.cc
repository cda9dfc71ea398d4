#include "tools/launcher/foreground.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "glog/logging.h"
#include "nsenter/pidfd.h"

namespace hull::launcher {

absl::Status ForwardUntilExit(int process, console::TerminalProxy* terminal,
                              const std::function<void(int signal)>& forward) {
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH}) {
    sigaddset(&forwarded, signal);
  }
  // Blocked only now, after the clone: the init must not inherit the mask.
  if (sigprocmask(SIG_BLOCK, &forwarded, nullptr) != 0) return ErrnoStatus("sigprocmask");
  UniqueFd signals(signalfd(-1, &forwarded, SFD_CLOEXEC));
  if (!signals.valid()) return ErrnoStatus("signalfd");
  if (terminal != nullptr) return terminal->RelayUntilExit(process, signals.get(), forward);
  while (true) {
    struct pollfd fds[2] = {{process, POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll");
    }
    if (fds[0].revents != 0) return absl::OkStatus();
    struct signalfd_siginfo info;
    if (read(signals.get(), &info, sizeof(info)) == sizeof(info)) {
      forward(static_cast<int>(info.ssi_signo));
    }
  }
}

absl::StatusOr<int> WaitInForeground(runtime::Container& container,
                                     console::TerminalProxy* terminal) {
  RETURN_IF_ERROR(ForwardUntilExit(container.init_pidfd(), terminal, [&](int signal) {
    absl::Status forwarded = container.Signal(signal, false);
    if (!forwarded.ok()) LOG(WARNING) << "forward signal: " << forwarded.message();
  }));
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, container.Wait());
  return exit.ShellCode();
}

}  // namespace hull::launcher
