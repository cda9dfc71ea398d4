#include "tools/launcher/run_command.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "glog/logging.h"
#include "nsenter/pidfd.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/create_command.h"

namespace hull::launcher {
namespace {

// Forwards the signals a shell sends to the foreground job to the
// init of `container`, which this process created, until it exits; returns
// its shell exit code.
absl::StatusOr<int> ForwardSignalsUntilExit(runtime::Container& container) {
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH}) {
    sigaddset(&forwarded, signal);
  }
  // Blocked only now, after the clone: the init must not inherit the mask.
  if (sigprocmask(SIG_BLOCK, &forwarded, nullptr) != 0) {
    return absl::InternalError(absl::StrCat("sigprocmask: ", strerror(errno)));
  }
  UniqueFd signals(signalfd(-1, &forwarded, SFD_CLOEXEC));
  if (!signals.valid()) return absl::InternalError(absl::StrCat("signalfd: ", strerror(errno)));
  while (true) {
    struct pollfd fds[2] = {{container.init_pidfd(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
    if (fds[0].revents != 0) break;
    struct signalfd_siginfo info;
    if (read(signals.get(), &info, sizeof(info)) == sizeof(info)) {
      absl::Status forwarded_status = container.Signal(static_cast<int>(info.ssi_signo), false);
      if (!forwarded_status.ok()) LOG(WARNING) << "forward signal: " << forwarded_status.message();
    }
  }
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, container.Wait());
  return exit.ShellCode();
}

absl::StatusOr<int> RunRun(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(RuntimeOptionsFor(global));
  ASSIGN_OR_RETURN(runtime::Container container, CreateFromFlags(hull, flags));
  if (absl::Status started = container.Start(); !started.ok()) {
    (void)container.Delete(/*force=*/true);
    return started;
  }
  if (flags.IsSet("detach")) return 0;
  absl::StatusOr<int> exit_code = ForwardSignalsUntilExit(container);
  if (!flags.IsSet("keep")) {
    absl::Status deleted = container.Delete(/*force=*/!exit_code.ok());
    if (exit_code.ok() && !deleted.ok()) return deleted;
  }
  return exit_code;
}

}  // namespace

Command RunCommand() {
  std::vector<FlagSpec> flags = CreateFlags();
  flags.push_back({.name = "detach", .short_name = "d", .help = "detach from the container"});
  flags.push_back({.name = "keep", .help = "keep the container's state after it exits"});
  return {.name = "run",
          .arguments = "<container-id>",
          .summary = "create and run a container",
          .flags = std::move(flags),
          .min_args = 1,
          .max_args = 1,
          .run = RunRun};
}

}  // namespace hull::launcher
