#include "runtime/seccomp/agent.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/fd_passing.h"
#include "base/status_util.h"

namespace hull::runtime::seccomp {

absl::Status SendListenerToAgent(const std::string& listener_path,
                                 absl::string_view process_state_json, int listener) {
  const std::string context = absl::StrCat("seccomp agent at linux.seccomp.listenerPath \"",
                                           listener_path, "\"");
  sockaddr_un address{.sun_family = AF_UNIX};
  if (listener_path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat(context, ": longer than a unix socket path (", sizeof(address.sun_path) - 1,
                     " bytes)"));
  }
  memcpy(address.sun_path, listener_path.data(), listener_path.size());
  UniqueFd socket_fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket_fd.valid()) return ErrnoStatus(context, ": socket");
  if (connect(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) !=
      0) {
    return ErrnoStatus(context, ": connect");
  }
  const int fds[] = {listener};
  return Annotate(SendWithFds(socket_fd.get(), process_state_json, fds), context);
}

}  // namespace hull::runtime::seccomp
