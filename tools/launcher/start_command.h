// `hull start`: runs the user's process in a created container.
#ifndef HULL_TOOLS_LAUNCHER_START_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_START_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command StartCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_START_COMMAND_H_
