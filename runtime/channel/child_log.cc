#include "runtime/channel/child_log.h"

#include <errno.h>
#include <sys/socket.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::channel {

absl::StatusOr<ChildLogPair> CreateChildLogPair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return ErrnoStatus("socketpair(AF_UNIX, SOCK_SEQPACKET) for the child's log");
  }
  return ChildLogPair{.parent = UniqueFd(fds[0]), .child = UniqueFd(fds[1])};
}

bool ChildLogWriter::Send(absl::string_view record) {
  ssize_t sent;
  do {
    sent = send(fd_, record.data(), record.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent == static_cast<ssize_t>(record.size());
}

void ChildLogWriter::Write(absl::string_view message) {
  // An empty packet would read as the end of the log.
  if (fd_ < 0 || message.empty()) return;
  if (dropped_ > 0) {
    if (!Send(absl::StrCat(dropped_, " earlier log records dropped: the log was full"))) {
      ++dropped_;
      return;
    }
    dropped_ = 0;
  }
  if (!Send(message.substr(0, kMaxChildLogRecord))) ++dropped_;
}

void ForwardChildLog(int fd, const std::function<void(absl::string_view record)>& sink) {
  char buffer[kMaxChildLogRecord];
  while (true) {
    // MSG_TRUNC: a longer record (which the writer never sends) is cut, not
    // split.
    const ssize_t received = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT | MSG_TRUNC);
    if (received < 0 && errno == EINTR) continue;
    // Nothing queued (EAGAIN), the child's end closed (0) or a broken
    // socket: nothing more to forward now.
    if (received <= 0) return;
    sink(absl::string_view(buffer, std::min(static_cast<size_t>(received), sizeof(buffer))));
  }
}

}  // namespace hull::channel
