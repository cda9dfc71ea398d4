#include "tools/launcher/kill_command.h"

#include <signal.h>

#include "base/status_macros.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/signal_names.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunKill(const GlobalOptions& global, const ParsedFlags& flags) {
  // The signal is checked before the container is looked for.
  ASSIGN_OR_RETURN(const int signal, KillSignal(flags));
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  RETURN_IF_ERROR(loaded.container.Signal(signal, flags.IsSet("all")));
  return 0;
}

}  // namespace

absl::StatusOr<int> KillSignal(const ParsedFlags& flags) {
  if (flags.positional().size() < 2) return SIGTERM;
  return ParseSignal(flags.positional()[1]);
}

Command KillCommand() {
  return {.name = "kill",
          .arguments = "<container-id> [signal]",
          .summary = "send a signal (default: SIGTERM) to the container's init",
          .flags = {{.name = "all", .short_name = "a",
                     .help = "send the signal to every process of the container"}},
          .min_args = 1,
          .max_args = 2,
          .run = RunKill};
}

}  // namespace hull::launcher
