// The listening end of a --console-socket, as a receiver (conmon, a shim,
// runc's recvtty) makes it, for tests that give a container a terminal.
#ifndef HULL_TESTING_INTEGRATION_CONSOLE_SOCKET_LISTENER_H_
#define HULL_TESTING_INTEGRATION_CONSOLE_SOCKET_LISTENER_H_

#include <string>

#include "absl/status/statusor.h"
#include "base/fd.h"

namespace hull::testing {

// Under /tmp: a unix socket path has at most 107 bytes.
class ConsoleSocketListener {
 public:
  static absl::StatusOr<ConsoleSocketListener> Listen();
  ConsoleSocketListener(ConsoleSocketListener&&) = default;
  ~ConsoleSocketListener();

  std::string path() const { return dir_ + "/console.sock"; }

  // The pty master hull sent: its connection accepted, the message received.
  absl::StatusOr<UniqueFd> ReceiveMaster();

 private:
  explicit ConsoleSocketListener(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
  UniqueFd socket_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_INTEGRATION_CONSOLE_SOCKET_LISTENER_H_
