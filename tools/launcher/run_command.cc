#include "tools/launcher/run_command.h"

#include <unistd.h>

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "glog/logging.h"
#include "nsenter/pidfd.h"
#include "runtime/console/terminal_proxy.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/create_command.h"
#include "tools/launcher/foreground.h"
#include "tools/launcher/notify_relay.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunRun(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(RuntimeOptionsFor(global));
  const bool detach = flags.IsSet("detach");
  ASSIGN_OR_RETURN(CreatedContainer created, CreateFromFlags(hull, flags, detach));
  runtime::Container& container = created.container;
  // The caller's terminal is readied before the container's process starts.
  std::optional<console::TerminalProxy> terminal;
  absl::Status started;
  if (created.pty_master.valid()) {
    absl::StatusOr<console::TerminalProxy> proxy = console::TerminalProxy::Start(
        {.master = created.pty_master.get(), .in = STDIN_FILENO, .out = STDOUT_FILENO});
    started = proxy.status();
    if (proxy.ok()) terminal.emplace(*std::move(proxy));
  }
  if (started.ok()) started = StartRelayingNotify(global, container);
  if (!started.ok()) {
    (void)container.Delete(/*force=*/true);
    return started;
  }
  if (detach) return 0;
  absl::StatusOr<int> exit_code =
      WaitInForeground(container, terminal.has_value() ? &*terminal : nullptr);
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
  // runc's foreground run is a child subreaper unless told not to be; Hull's
  // never is (it waits on the init's pidfd), which is what this flag asks.
  flags.push_back({.name = "no-subreaper",
                   .help = "disable the use of the subreaper used to reap reparented processes "
                           "(Hull never uses one)"});
  return {.name = "run",
          .arguments = "<container-id>",
          .summary = "create and run a container",
          .flags = std::move(flags),
          .min_args = 1,
          .max_args = 1,
          .run = RunRun};
}

}  // namespace hull::launcher
