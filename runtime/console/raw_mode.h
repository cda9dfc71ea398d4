// The caller's terminal in raw mode for the life of the object, as runc
// (containerd's console SetRaw) puts it while it relays a container's
// terminal: no echo, no line editing, no signals from keys (^C reaches the
// container's pty as a byte), but output processing kept, so that the
// caller's terminal still turns a container's bare LF into CR LF.
#ifndef HULL_RUNTIME_CONSOLE_RAW_MODE_H_
#define HULL_RUNTIME_CONSOLE_RAW_MODE_H_

#include <termios.h>

#include "absl/status/statusor.h"

namespace hull::console {

class RawMode {
 public:
  // Puts `terminal` in raw mode; FailedPrecondition when it is no terminal.
  static absl::StatusOr<RawMode> Enter(int terminal);

  RawMode(RawMode&& other) noexcept;
  RawMode& operator=(RawMode&&) = delete;
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;
  // Restores the terminal's settings as they were.
  ~RawMode();

 private:
  RawMode(int terminal, const termios& original) : terminal_(terminal), original_(original) {}

  int terminal_;  // -1 once moved from
  termios original_;
};

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_RAW_MODE_H_
