// Every `hull` verb, as main dispatches to them.
#ifndef HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_
#define HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/launcher/command.h"

namespace hull::launcher {

// Every command, in the order `hull --help` lists them.
std::vector<Command> AllCommands();

// The command `name`, or nullopt. Builds that one command only: a `hull run`
// need not build the 17 others' flags and texts.
std::optional<Command> FindCommand(absl::string_view name);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_
