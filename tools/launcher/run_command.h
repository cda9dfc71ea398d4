// `hull run`: create and start a container; in the foreground (without
// --detach) forward the shell's signals to it, relay its terminal (with
// process.terminal) to hull's stdin and stdout, wait for its exit, delete it
// (unless --keep) and exit with its shell exit code.
#ifndef HULL_TOOLS_LAUNCHER_RUN_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_RUN_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command RunCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_RUN_COMMAND_H_
