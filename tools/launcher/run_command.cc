#include "tools/launcher/run_command.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "nsenter/pidfd.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/create_command.h"
#include "tools/launcher/signal_forwarding.h"

namespace hull::launcher {
namespace {

// Forwards the shell's signals to the init of `container`, which this
// process created, until it exits; returns its shell exit code.
absl::StatusOr<int> WaitForwardingSignals(runtime::Container& container) {
  RETURN_IF_ERROR(ForwardSignalsUntilExit(
      container.init_pidfd(), [&container](int signal) { return container.Signal(signal, false); }));
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, container.Wait());
  return exit.ShellCode();
}

absl::StatusOr<int> RunRun(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(RuntimeOptionsFor(global));
  ASSIGN_OR_RETURN(runtime::Container container, CreateFromFlags(hull, flags));
  if (absl::Status started = container.Start(); !started.ok()) {
    (void)container.Delete(/*force=*/true);
    return started;
  }
  if (flags.IsSet("detach")) return 0;
  absl::StatusOr<int> exit_code = WaitForwardingSignals(container);
  if (!flags.IsSet("keep")) {
    absl::Status deleted = container.Delete(/*force=*/!exit_code.ok());
    if (exit_code.ok() && !deleted.ok()) return deleted;
  }
  return exit_code;
}

}  // namespace

Command RunCommand() {
  std::vector<FlagSpec> flags = CreateFlags();
  flags.push_back({.name = "detach", .short_name = "d", .help = "detach from the container"});
  flags.push_back({.name = "keep", .help = "keep the container's state after it exits"});
  return {.name = "run",
          .arguments = "<container-id>",
          .summary = "create and run a container",
          .flags = std::move(flags),
          .min_args = 1,
          .max_args = 1,
          .run = RunRun};
}

}  // namespace hull::launcher
