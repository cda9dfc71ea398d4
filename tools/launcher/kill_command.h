// `hull kill`: sends a signal to a container's init, or with --all to every
// process of the container.
#ifndef HULL_TOOLS_LAUNCHER_KILL_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_KILL_COMMAND_H_

#include "absl/status/statusor.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

Command KillCommand();

// The signal of `kill ID [SIGNAL]`: SIGNAL as ParseSignal reads it ("KILL",
// "SIGKILL", "9"), SIGTERM without one.
absl::StatusOr<int> KillSignal(const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_KILL_COMMAND_H_
