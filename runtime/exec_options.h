// How `exec` starts a process in a running container, beyond the process
// itself (an OCI `process` object).
#ifndef HULL_RUNTIME_EXEC_OPTIONS_H_
#define HULL_RUNTIME_EXEC_OPTIONS_H_

#include <map>
#include <string>

namespace hull::runtime {

struct ExecOptions {
  // Fds 3 .. 3+preserve_fds-1 of the caller pass to the process, as do its
  // stdin, stdout and stderr.
  int preserve_fds = 0;
  // Starts the process in a paused container too (it stays frozen until the
  // container is resumed); refused otherwise, as with runc.
  bool ignore_paused = false;
  // Existing cgroups below the container's to start the process in (runc's
  // --cgroup [controllers:]path): controller ("" for every one) to a path
  // relative to the container's cgroup.
  std::map<std::string, std::string> sub_cgroups;
  // With process.terminal: a connected unix socket the pty's master is sent
  // to, in runc's format (runtime/console/console_socket.h); not owned.
  int console_socket = -1;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_EXEC_OPTIONS_H_
