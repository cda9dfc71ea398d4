// `hull features`: the runtime-spec's Features structure (runtime/features)
// as JSON, with Hull's own annotations.
#ifndef HULL_TOOLS_LAUNCHER_FEATURES_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_FEATURES_COMMAND_H_

#include "tools/launcher/command.h"

namespace hull::launcher {

Command FeaturesCommand();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_FEATURES_COMMAND_H_
