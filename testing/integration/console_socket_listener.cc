#include "testing/integration/console_socket_listener.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <string>
#include <utility>

#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/console/console_socket.h"
#include "testing/files.h"

namespace hull::testing {

absl::StatusOr<ConsoleSocketListener> ConsoleSocketListener::Listen() {
  ASSIGN_OR_RETURN(std::string dir, MakeTempDir("console", "/tmp"));
  ConsoleSocketListener listener(std::move(dir));
  listener.socket_.Reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, listener.path().data(), listener.path().size());
  if (!listener.socket_.valid() ||
      bind(listener.socket_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener.socket_.get(), 1) != 0) {
    return ErrnoStatus("listen on ", listener.path());
  }
  return listener;
}

ConsoleSocketListener::~ConsoleSocketListener() {
  if (!dir_.empty()) RemoveTree(dir_);
}

absl::StatusOr<UniqueFd> ConsoleSocketListener::ReceiveMaster() {
  pollfd pending = {.fd = socket_.get(), .events = POLLIN, .revents = 0};
  if (poll(&pending, 1, 10000) != 1) return absl::DeadlineExceededError("no connection");
  UniqueFd connection(accept4(socket_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!connection.valid()) return ErrnoStatus("accept");
  return console::ReceivePtyMaster(connection.get());
}

}  // namespace hull::testing
