// Where the pty master of a process with a terminal goes, for the verbs that
// start one (create, run, exec), by runc's rules.
#ifndef HULL_TOOLS_LAUNCHER_CONSOLE_FLAGS_H_
#define HULL_TOOLS_LAUNCHER_CONSOLE_FLAGS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/fd.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// runc's rules for a terminal (its checkTerminal): a command that detaches
// (create, run -d, exec -d) from a process with a terminal needs
// --console-socket; a console socket is refused in the foreground or without
// a terminal.
absl::Status CheckTerminal(bool terminal, bool detach, bool console_socket);

// The socket the library sends the pty master to (`for_runtime`, the
// CreateOptions/ExecOptions console_socket) and, in the foreground, the end
// this process receives it from (`foreground`); both invalid without a
// terminal.
struct ConsoleEnds {
  UniqueFd for_runtime;
  UniqueFd foreground;
};

// Checks the flags (CheckTerminal), then: detached, connects to
// --console-socket; in the foreground, a socketpair (as runc does).
absl::StatusOr<ConsoleEnds> OpenConsoleEnds(bool terminal, bool detach, const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_CONSOLE_FLAGS_H_
