#include "testing/unix_listener.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "base/status_util.h"

namespace hull::testing {

absl::StatusOr<UnixListener> UnixListener::Create(const std::string& name) {
  char directory[] = "/tmp/hull-test-socket-XXXXXX";
  if (mkdtemp(directory) == nullptr) return ErrnoStatus("mkdtemp ", directory);
  const std::string path = std::string(directory) + "/" + name;
  sockaddr_un address{.sun_family = AF_UNIX};
  if (path.size() >= sizeof(address.sun_path)) {
    rmdir(directory);
    return absl::InvalidArgumentError("socket path too long: " + path);
  }
  memcpy(address.sun_path, path.data(), path.size());
  UniqueFd socket_fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket_fd.valid() ||
      bind(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(socket_fd.get(), 4) != 0) {
    absl::Status failed = ErrnoStatus("listen on ", path);
    unlink(path.c_str());
    rmdir(directory);
    return failed;
  }
  return UnixListener(directory, path, std::move(socket_fd));
}

UnixListener::~UnixListener() {
  if (path_.empty()) return;  // moved from
  socket_.Reset();
  unlink(path_.c_str());
  rmdir(directory_.c_str());
}

absl::StatusOr<UniqueFd> UnixListener::Accept() const {
  UniqueFd connection(accept4(socket_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!connection.valid()) return ErrnoStatus("accept on ", path_);
  return connection;
}

}  // namespace hull::testing
