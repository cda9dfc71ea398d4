#include "tools/launcher/resume_command.h"

#include "base/status_macros.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunResume(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  RETURN_IF_ERROR(loaded.container.Resume());
  return 0;
}

}  // namespace

Command ResumeCommand() {
  return {.name = "resume",
          .arguments = "<container-id>",
          .summary = "thaw a paused container",
          .min_args = 1,
          .max_args = 1,
          .run = RunResume};
}

}  // namespace hull::launcher
