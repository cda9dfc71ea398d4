// `hull spec`: writes a default config.json, as `runc spec` does.
#ifndef HULL_TOOLS_LAUNCHER_SPEC_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_SPEC_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command SpecCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_SPEC_COMMAND_H_
