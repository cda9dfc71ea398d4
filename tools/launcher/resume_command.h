// `hull resume`: thaws a paused container.
#ifndef HULL_TOOLS_LAUNCHER_RESUME_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_RESUME_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command ResumeCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_RESUME_COMMAND_H_
