// `hull state`: prints a container's OCI state as JSON.
#ifndef HULL_TOOLS_LAUNCHER_STATE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_STATE_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command StateCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_STATE_COMMAND_H_
