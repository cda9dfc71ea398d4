// sd_notify passthrough, as runc does it: with NOTIFY_SOCKET in the
// launcher's environment (a systemd unit of Type=notify, podman's
// --sdnotify=container), create binds a directory of the container's state
// directory into the container and points the process's NOTIFY_SOCKET at a
// socket there; start binds that socket and relays what the container sends
// to the host's socket until READY=, which goes on with MAINPID set to the
// init's host pid.
#ifndef HULL_RUNTIME_NOTIFY_NOTIFY_SOCKET_H_
#define HULL_RUNTIME_NOTIFY_NOTIFY_SOCKET_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"

namespace hull::runtime::notify {

// Where the container sees the directory, and the socket's name in it.
inline constexpr char kContainerDirectory[] = "/run/notify";
inline constexpr char kSocketName[] = "notify.sock";

// The directory of `container_dir` (the container's state directory) that is
// bound into the container.
std::string HostDirectory(absl::string_view container_dir);

// Adds to `spec` the read-only bind mount of HostDirectory(container_dir) at
// kContainerDirectory and NOTIFY_SOCKET (replacing one the config sets) for
// the process.
void AddToSpec(config::Spec& spec, absl::string_view container_dir);

// Makes HostDirectory(container_dir) (mode 0755: the container's user
// reaches the socket through it).
absl::Status MakeHostDirectory(absl::string_view container_dir);

// The datagram socket the container sends to, bound in
// HostDirectory(container_dir), writable by anyone (the container's user
// may be any uid).
absl::StatusOr<UniqueFd> BindContainerSocket(absl::string_view container_dir);

// What is forwarded to the host for one datagram of the container: its
// lines, less MAINPID= (a pid of the container's namespace), and when one is
// READY=, MAINPID=<init_pid> after them (one datagram: systemd reads the
// main pid before readiness). `ready` tells whether it was READY=.
std::string HostMessage(absl::string_view datagram, pid_t init_pid, bool& ready);

// Relays the datagrams `container_socket` receives to `host_socket` (the
// launcher's NOTIFY_SOCKET: a path, or "@name" for an abstract socket) until
// the READY= one has gone, or the init (`init_pidfd`, host pid `init_pid`)
// exits first.
absl::Status RelayUntilReady(int container_socket, const std::string& host_socket,
                             pid_t init_pid, int init_pidfd);

}  // namespace hull::runtime::notify

#endif  // HULL_RUNTIME_NOTIFY_NOTIFY_SOCKET_H_
