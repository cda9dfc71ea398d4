// A process's terminal as a container's process with process.terminal has it
// (runc's setsid, dupStdio and TIOCSCTTY): the leader of a session of its
// own, whose controlling terminal is its pty slave, which is also its stdin,
// stdout and stderr. Then ^C on the pty signals its foreground group and
// /dev/tty is the pty.
#ifndef HULL_RUNTIME_CONSOLE_CONTROLLING_TERMINAL_H_
#define HULL_RUNTIME_CONSOLE_CONTROLLING_TERMINAL_H_

#include "absl/status/status.h"

namespace hull::console {

// In the process that will exec the container's process: a new session
// (setsid; the caller must not lead a process group), `slave` its
// controlling terminal (TIOCSCTTY) and dup'd onto fds 0, 1 and 2. `slave`
// itself stays open (close-on-exec).
absl::Status TakeControllingTerminal(int slave);

}  // namespace hull::console

#endif  // HULL_RUNTIME_CONSOLE_CONTROLLING_TERMINAL_H_
