// runc's --console-socket protocol, as podman's conmon, containerd's shim
// and runc's own recvtty expect it: whoever wants a container's terminal
// listens on a unix stream socket; the runtime connects and sends one
// message whose data is a name for the pty master (shorter than 4096 bytes)
// and which passes the master as its only fd (SCM_RIGHTS; runc's
// utils.SendFd and RecvFd).
#ifndef HULL_RUNTIME_CONSOLE_CONSOLE_SOCKET_H_
#define HULL_RUNTIME_CONSOLE_CONSOLE_SOCKET_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/fd.h"

namespace hull::console {

// The name sent with the master: the file it was opened as (what runc sends
// since it opens /dev/pts/ptmx; receivers keep it only as a name).
inline constexpr char kPtyMasterName[] = "/dev/pts/ptmx";

// A name this long or longer is refused (runc's MaxNameLen).
inline constexpr size_t kMaxPtyMasterName = 4096;

// A close-on-exec SOCK_STREAM socket connected to the unix socket at `path`,
// as runc dials --console-socket.
absl::StatusOr<UniqueFd> ConnectConsoleSocket(const std::string& path);

// Sends `master` over the connected `socket` as runc does.
absl::Status SendPtyMaster(int socket, int master);

// Receives what SendPtyMaster sent: the master (close-on-exec). Refuses,
// as runc's RecvFd does, anything but one fd with a name under 4096 bytes.
absl::StatusOr<UniqueFd> ReceivePtyMaster(int socket);

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_CONSOLE_SOCKET_H_
