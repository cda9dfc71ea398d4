// Every `hull` verb, as main dispatches to them.
#ifndef HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_
#define HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_

#include <vector>

#include "tools/launcher/command.h"

namespace hull::launcher {

// Every command, in the order `hull --help` lists them.
const std::vector<Command>& AllCommands();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_ALL_COMMANDS_H_
