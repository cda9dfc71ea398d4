#include "tools/launcher/start_command.h"

#include "base/status_macros.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/notify_relay.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunStart(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  RETURN_IF_ERROR(StartRelayingNotify(global, loaded.container));
  return 0;
}

}  // namespace

Command StartCommand() {
  return {.name = "start",
          .arguments = "<container-id>",
          .summary = "run the user's process in a created container",
          .min_args = 1,
          .max_args = 1,
          .run = RunStart};
}

}  // namespace hull::launcher
