#include "tools/launcher/console_flags.h"

#include <sys/socket.h>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/console/console_socket.h"

namespace hull::launcher {

absl::Status CheckTerminal(bool terminal, bool detach, bool console_socket) {
  if (detach && terminal && !console_socket) {
    return absl::InvalidArgumentError(
        "cannot allocate tty if runc will detach without setting console socket");
  }
  if ((!detach || !terminal) && console_socket) {
    return absl::InvalidArgumentError(
        "cannot use console socket if runc will not detach or allocate tty");
  }
  return absl::OkStatus();
}

absl::StatusOr<ConsoleEnds> OpenConsoleEnds(bool terminal, bool detach, const ParsedFlags& flags) {
  RETURN_IF_ERROR(CheckTerminal(terminal, detach, flags.Has("console-socket")));
  ConsoleEnds ends;
  if (terminal && detach) {
    ASSIGN_OR_RETURN(ends.for_runtime,
                     console::ConnectConsoleSocket(flags.ValueOr("console-socket", "")));
  } else if (terminal) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      return ErrnoStatus("socketpair for the pty master");
    }
    ends.for_runtime.Reset(pair[0]);
    ends.foreground.Reset(pair[1]);
  }
  return ends;
}

}  // namespace hull::launcher
