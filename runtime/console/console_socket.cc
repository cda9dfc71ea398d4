#include "runtime/console/console_socket.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd_passing.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::console {

absl::StatusOr<UniqueFd> ConnectConsoleSocket(const std::string& path) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("console socket \"", path,
                                                   "\": a unix socket path has 1 to ",
                                                   sizeof(address.sun_path) - 1, " bytes"));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return ErrnoStatus("socket(AF_UNIX, SOCK_STREAM)");
  int connected;
  do {
    connected = connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  } while (connected != 0 && errno == EINTR);
  if (connected != 0) return ErrnoStatus("connect to the console socket \"", path, "\"");
  return socket;
}

absl::Status SendPtyMaster(int socket, int master) {
  const int fds[] = {master};
  return Annotate(SendWithFds(socket, kPtyMasterName, fds),
                  "send the pty master to the console socket");
}

absl::StatusOr<UniqueFd> ReceivePtyMaster(int socket) {
  absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(socket, kMaxPtyMasterName, 1);
  if (!received.ok()) return Annotate(received.status(), "receive a pty master");
  if (received->data.empty() && received->fds.empty()) {
    return absl::UnavailableError("receive a pty master: the console socket closed first");
  }
  if (received->fds.size() != 1 || received->data.size() >= kMaxPtyMasterName) {
    return absl::DataLossError(absl::StrCat("receive a pty master: a message of ",
                                            received->data.size(), " bytes with ",
                                            received->fds.size(), " fds instead of one"));
  }
  return std::move(received->fds.front());
}

}  // namespace hull::console
