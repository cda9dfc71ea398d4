#include "runtime/console/controlling_terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "base/status_util.h"

namespace hull::console {

absl::Status TakeControllingTerminal(int slave) {
  if (setsid() < 0) return ErrnoStatus("setsid");
  if (ioctl(slave, TIOCSCTTY, 0) != 0) {
    return ErrnoStatus("make the pty the controlling terminal (TIOCSCTTY)");
  }
  for (const int stdio : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (slave != stdio && dup2(slave, stdio) < 0) {
      return ErrnoStatus("make the pty fd ", stdio);
    }
  }
  return absl::OkStatus();
}

}  // namespace hull::console
