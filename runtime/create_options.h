// How `create` sets a container up, beyond its config.
#ifndef HULL_RUNTIME_CREATE_OPTIONS_H_
#define HULL_RUNTIME_CREATE_OPTIONS_H_

#include <string>

namespace hull::runtime {

struct CreateOptions {
  // Absolute path of the bundle; a relative root.path is resolved against it.
  std::string bundle;
  // MS_MOVE + chroot instead of pivot_root (for roots on ramfs).
  bool no_pivot = false;
  // Keep the caller's session keyring instead of a fresh one.
  bool no_new_keyring = false;
  // Fds 3 .. 3+preserve_fds-1 of the caller pass to the container's process,
  // as do its stdin, stdout and stderr.
  int preserve_fds = 0;
  // With process.terminal (and only then): a connected unix socket, which
  // the caller keeps, that the master of the container's pty is sent to
  // before Create returns, as runc sends it to --console-socket
  // (runtime/console/console_socket.h).
  int console_socket = -1;
  // sd_notify passthrough (runtime/notify/notify_socket.h): the process's
  // NOTIFY_SOCKET names a socket in a directory of the state directory bound
  // into the container, which the caller binds and relays from at start.
  bool notify_socket = false;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_CREATE_OPTIONS_H_
