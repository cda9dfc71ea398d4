#include "runtime/console/window_size.h"

#include <sys/ioctl.h>

#include "base/status_util.h"

namespace hull::console {

absl::StatusOr<WindowSize> GetWindowSize(int terminal) {
  struct winsize size = {};
  if (ioctl(terminal, TIOCGWINSZ, &size) != 0) {
    return ErrnoStatus("get the window size of fd ", terminal, " (TIOCGWINSZ)");
  }
  return WindowSize{.rows = size.ws_row, .columns = size.ws_col};
}

absl::Status SetWindowSize(int terminal, WindowSize size) {
  struct winsize wanted = {};
  wanted.ws_row = size.rows;
  wanted.ws_col = size.columns;
  if (ioctl(terminal, TIOCSWINSZ, &wanted) != 0) {
    return ErrnoStatus("set the window size of fd ", terminal, " to ", size.rows, "x", size.columns,
                       " (TIOCSWINSZ)");
  }
  return absl::OkStatus();
}

}  // namespace hull::console
