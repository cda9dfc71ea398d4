#include "testing/terminal_user.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include "absl/time/clock.h"
#include "base/status_util.h"

namespace hull::testing {

absl::StatusOr<PtyPair> OpenPtyPair() {
  int master, slave;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return ErrnoStatus("openpty");
  PtyPair pair{UniqueFd(master), UniqueFd(slave)};
  if (fcntl(master, F_SETFD, FD_CLOEXEC) != 0 || fcntl(slave, F_SETFD, FD_CLOEXEC) != 0) {
    return ErrnoStatus("make the pty close-on-exec");
  }
  return pair;
}

bool TerminalUser::Type(const std::string& text) {
  return write(master_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

bool TerminalUser::WaitFor(const std::string& wanted, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const size_t found = shown_.find(wanted, consumed_);
    if (found != std::string::npos) {
      previous_ = consumed_;
      consumed_ = found + wanted.size();
      return true;
    }
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left <= 0) return false;
    pollfd readable = {.fd = master_, .events = POLLIN, .revents = 0};
    if (poll(&readable, 1, static_cast<int>(left)) <= 0) continue;
    char buffer[1024];
    const ssize_t n = read(master_, buffer, sizeof(buffer));
    if (n <= 0) return false;  // EIO: nothing holds the slave any more
    shown_.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace hull::testing
