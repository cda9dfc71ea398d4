#include "tools/launcher/signal_forwarding.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "base/fd.h"
#include "base/status_util.h"
#include "glog/logging.h"

namespace hull::launcher {

absl::Status ForwardSignalsUntilExit(int pidfd, const std::function<absl::Status(int)>& forward) {
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH}) {
    sigaddset(&forwarded, signal);
  }
  if (sigprocmask(SIG_BLOCK, &forwarded, nullptr) != 0) return ErrnoStatus("sigprocmask");
  UniqueFd signals(signalfd(-1, &forwarded, SFD_CLOEXEC));
  if (!signals.valid()) return ErrnoStatus("signalfd");
  while (true) {
    struct pollfd fds[2] = {{pidfd, POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll");
    }
    if (fds[0].revents != 0) return absl::OkStatus();
    struct signalfd_siginfo info;
    if (read(signals.get(), &info, sizeof(info)) == sizeof(info)) {
      const absl::Status sent = forward(static_cast<int>(info.ssi_signo));
      if (!sent.ok()) LOG(WARNING) << "forward signal " << info.ssi_signo << ": " << sent.message();
    }
  }
}

}  // namespace hull::launcher
