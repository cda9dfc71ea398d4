// Passing file descriptors over a unix socket (SCM_RIGHTS): the fork
// server's requests, and later a terminal's master to a console socket.
#ifndef HULL_BASE_FD_PASSING_H_
#define HULL_BASE_FD_PASSING_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/fd.h"

namespace hull {

// The kernel's limit of fds in one message (SCM_MAX_FD).
inline constexpr size_t kMaxPassedFds = 253;

// Sends `data` (at least one byte) with copies of `fds` in one sendmsg.
// MSG_NOSIGNAL: a closed peer is an error (EPIPE), not a SIGPIPE.
absl::Status SendWithFds(int socket, absl::string_view data, absl::Span<const int> fds);

// The sendmsg(2) of SendWithFds, for a caller that tells failures apart by
// errno (EPIPE, ECONNRESET: the peer is gone): the bytes sent, or -1 with
// errno set (EINVAL for empty data or too many fds). EINTR is retried.
ssize_t SendMessageWithFds(int socket, absl::string_view data, absl::Span<const int> fds);

struct ReceivedMessage {
  std::string data;  // empty: the peer closed its end
  std::vector<UniqueFd> fds;  // close-on-exec
};

// Receives one message of at most `max_data` bytes and `max_fds` fds,
// retrying EINTR, and ECONNRESET: a peer that exits with messages of ours
// unread makes the kernel report that once, before the messages it queued
// for us (its last words), which are then read. A message whose data or fds
// were cut short is an error (its fds are closed).
absl::StatusOr<ReceivedMessage> ReceiveWithFds(int socket, size_t max_data, size_t max_fds);

}  // namespace hull

#endif  // HULL_BASE_FD_PASSING_H_
