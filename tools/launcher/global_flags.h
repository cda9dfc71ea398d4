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
#include "tools/launcher/rootless_options.h"

namespace hull::launcher {

// --debug, --log, --log-format, --root, --criu, --systemd-cgroup,
// --rootless, --help, --version: runc's, in its order.
const std::vector<FlagSpec>& GlobalFlagSpecs();

// The options of a command from the global flags, for the calling process
// (CurrentInvoker) or `invoker`. --systemd-cgroup gives new containers the
// systemd cgroup driver. `--rootless` other than true, false or auto is
// refused for every command; it and the invoker decide rootless cgroups and,
// without --root, the state root (rootless_options.h). --criu changes
// nothing: checkpoint and restore are refused on their own.
absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global);
absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global, const Invoker& invoker);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_GLOBAL_FLAGS_H_
