// The size of a terminal in character cells (TIOCGWINSZ, TIOCSWINSZ): what a
// container's pty gets from process.consoleSize, and from the caller's own
// terminal when it is relayed there. Setting it on a pty signals SIGWINCH to
// the pty's foreground process group.
#ifndef HULL_RUNTIME_CONSOLE_WINDOW_SIZE_H_
#define HULL_RUNTIME_CONSOLE_WINDOW_SIZE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hull::console {

struct WindowSize {
  uint16_t rows = 0;
  uint16_t columns = 0;

  friend bool operator==(const WindowSize&, const WindowSize&) = default;
};

absl::StatusOr<WindowSize> GetWindowSize(int terminal);

// Sets `terminal`'s size (for a pty, either end's fd).
absl::Status SetWindowSize(int terminal, WindowSize size);

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_WINDOW_SIZE_H_
