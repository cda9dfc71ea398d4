#include "runtime/console/raw_mode.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::console {

absl::StatusOr<RawMode> RawMode::Enter(int terminal) {
  termios original;
  if (tcgetattr(terminal, &original) != 0) {
    if (errno == ENOTTY) {
      return absl::FailedPreconditionError(absl::StrCat("fd ", terminal, " is not a terminal"));
    }
    return ErrnoStatus("get the settings of terminal fd ", terminal);
  }
  termios raw = original;
  cfmakeraw(&raw);
  raw.c_oflag |= OPOST;
  if (tcsetattr(terminal, TCSANOW, &raw) != 0) {
    return ErrnoStatus("put terminal fd ", terminal, " in raw mode");
  }
  return RawMode(terminal, original);
}

RawMode::RawMode(RawMode&& other) noexcept
    : terminal_(std::exchange(other.terminal_, -1)), original_(other.original_) {}

RawMode::~RawMode() {
  if (terminal_ >= 0) (void)tcsetattr(terminal_, TCSANOW, &original_);
}

}  // namespace hull::console
