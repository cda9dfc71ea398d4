// `start` and `run` with NOTIFY_SOCKET in the launcher's environment: the
// container's sd_notify messages relayed to the host's socket
// (runtime/notify/notify_socket.h), as runc does.
#ifndef HULL_TOOLS_LAUNCHER_NOTIFY_RELAY_H_
#define HULL_TOOLS_LAUNCHER_NOTIFY_RELAY_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "runtime/container.h"
#include "tools/launcher/command.h"

namespace hull::launcher {

// The launcher's NOTIFY_SOCKET; nullopt when unset or empty.
std::optional<std::string> HostNotifySocket();

// Starts `container`. With NOTIFY_SOCKET set and a container created with it
// (its notify directory exists), the container's socket is bound before the
// start, and this returns once READY= went to the host's socket with
// MAINPID, or the init exited first. Without, just Start: nothing else is
// read or made.
absl::Status StartRelayingNotify(const GlobalOptions& global, runtime::Container& container);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_NOTIFY_RELAY_H_
