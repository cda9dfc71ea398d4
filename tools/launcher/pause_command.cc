#include "tools/launcher/pause_command.h"

#include "base/status_macros.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunPause(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  RETURN_IF_ERROR(loaded.container.Pause());
  return 0;
}

}  // namespace

Command PauseCommand() {
  return {.name = "pause",
          .arguments = "<container-id>",
          .summary = "freeze every process of the container",
          .min_args = 1,
          .max_args = 1,
          .run = RunPause};
}

}  // namespace hull::launcher
