// The flags given before the command name (runc's global flags), and the
// GlobalOptions they make for a command. Flags Hull cannot honour yet are
// accepted by the parser but refused, naming them, for every command whose
// behaviour they would change.
#ifndef HULL_TOOLS_LAUNCHER_GLOBAL_FLAGS_H_
#define HULL_TOOLS_LAUNCHER_GLOBAL_FLAGS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// --debug, --log, --log-format, --root, --criu, --systemd-cgroup,
// --rootless, --help, --version: runc's, in its order.
const std::vector<FlagSpec>& GlobalFlagSpecs();

// The options of `command` from the global flags. Refused (InvalidArgument,
// naming the flag) for a command that creates or manages containers:
// `--rootless true` (Hull does not ignore cgroup permission errors).
// --systemd-cgroup gives new containers the systemd cgroup driver. `--rootless` other than
// true, false or auto is refused for every command. --criu changes nothing:
// checkpoint and restore are refused on their own.
absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global, const Command& command);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_GLOBAL_FLAGS_H_
