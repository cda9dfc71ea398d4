// `hull checkpoint`: runc's command line, refused (Hull has no CRIU
// checkpoint/restore yet).
#ifndef HULL_TOOLS_LAUNCHER_CHECKPOINT_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_CHECKPOINT_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command CheckpointCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_CHECKPOINT_COMMAND_H_
