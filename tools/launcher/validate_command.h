// `hull validate`: loads a bundle's config.json, reports every violation of
// the OCI runtime-spec, or prints the config as Hull understood it.
#ifndef HULL_TOOLS_LAUNCHER_VALIDATE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_VALIDATE_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command ValidateCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_VALIDATE_COMMAND_H_
