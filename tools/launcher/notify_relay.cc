#include "tools/launcher/notify_relay.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "nsenter/pidfd.h"
#include "runtime/notify/notify_socket.h"
#include "statemachine/state.pb.h"

namespace hull::launcher {

std::optional<std::string> HostNotifySocket() {
  const char* value = std::getenv("NOTIFY_SOCKET");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

absl::Status StartRelayingNotify(const GlobalOptions& global, runtime::Container& container) {
  const std::optional<std::string> host = HostNotifySocket();
  if (!host.has_value()) return container.Start();
  const std::string container_dir = absl::StrCat(global.root, "/", container.id());
  struct stat directory;
  // Created without NOTIFY_SOCKET: its process has none to send to.
  if (stat(runtime::notify::HostDirectory(container_dir).c_str(), &directory) != 0) {
    return container.Start();
  }
  ASSIGN_OR_RETURN(const UniqueFd socket, runtime::notify::BindContainerSocket(container_dir));
  RETURN_IF_ERROR(container.Start());
  ASSIGN_OR_RETURN(const statemachine::ContainerState state, container.State());
  // `run` holds its child's pidfd; `start` opens one on the init it just
  // started (alive: its exec was waited for).
  UniqueFd opened;
  if (container.init_pidfd() < 0) {
    ASSIGN_OR_RETURN(opened, nsenter::PidfdOpen(state.pid()));
  }
  const int init = container.init_pidfd() >= 0 ? container.init_pidfd() : opened.get();
  return runtime::notify::RelayUntilReady(socket.get(), *host, state.pid(), init);
}

}  // namespace hull::launcher
