// `hull list`: the containers under --root, as a table, JSON or ids.
#ifndef HULL_TOOLS_LAUNCHER_LIST_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_LIST_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command ListCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_LIST_COMMAND_H_
