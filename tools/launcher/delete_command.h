// `hull delete`: deletes a created or stopped container (with --force, a
// running or paused one too, killed first) and what it holds.
#ifndef HULL_TOOLS_LAUNCHER_DELETE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_DELETE_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command DeleteCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_DELETE_COMMAND_H_
