// `hull pause`: freezes every process of a running container.
#ifndef HULL_TOOLS_LAUNCHER_PAUSE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_PAUSE_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command PauseCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_PAUSE_COMMAND_H_
