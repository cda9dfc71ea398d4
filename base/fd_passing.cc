#include "base/fd_passing.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull {

ssize_t SendMessageWithFds(int socket, absl::string_view data, absl::Span<const int> fds) {
  if (data.empty() || fds.size() > kMaxPassedFds) {
    errno = EINVAL;
    return -1;
  }
  iovec iov = {.iov_base = const_cast<char*>(data.data()), .iov_len = data.size()};
  msghdr message = {};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.resize(CMSG_SPACE(sizeof(int) * fds.size()));
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t sent;
  do {
    sent = sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

absl::Status SendWithFds(int socket, absl::string_view data, absl::Span<const int> fds) {
  if (data.empty()) return absl::InvalidArgumentError("SendWithFds needs at least one byte");
  if (fds.size() > kMaxPassedFds) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot pass ", fds.size(), " fds in one message (at most ", kMaxPassedFds,
                     ")"));
  }
  const ssize_t sent = SendMessageWithFds(socket, data, fds);
  if (sent < 0) return ErrnoStatus("sendmsg with ", fds.size(), " fds");
  if (static_cast<size_t>(sent) != data.size()) {
    return absl::DataLossError(absl::StrCat("sendmsg sent ", sent, " of ", data.size(), " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReceivedMessage> ReceiveWithFds(int socket, size_t max_data, size_t max_fds) {
  ReceivedMessage received;
  // Not zero-filled: recvmsg writes only the message, and the pages of a
  // buffer sized for the largest one are never touched for a small one.
  const std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(max_data);
  iovec iov = {.iov_base = buffer.get(), .iov_len = max_data};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * max_fds));
  msghdr message = {};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  ssize_t length;
  do {
    length = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (length < 0 && (errno == EINTR || errno == ECONNRESET));
  if (length < 0) return ErrnoStatus("recvmsg");
  received.data.assign(buffer.get(), static_cast<size_t>(length));
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
      received.fds.emplace_back(fd);
    }
  }
  if (message.msg_flags & MSG_CTRUNC) {
    return absl::ResourceExhaustedError(
        absl::StrCat("recvmsg: more than ", max_fds, " fds in one message"));
  }
  if (message.msg_flags & MSG_TRUNC) {
    return absl::ResourceExhaustedError(
        absl::StrCat("recvmsg: a message longer than ", max_data, " bytes"));
  }
  return received;
}

}  // namespace hull
