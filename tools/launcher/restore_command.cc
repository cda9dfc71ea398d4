#include "tools/launcher/restore_command.h"

#include <unistd.h>

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "config/json.h"
#include "runtime/console/console_socket.h"
#include "runtime/console/terminal_proxy.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/console_flags.h"
#include "tools/launcher/criu_flags.h"
#include "tools/launcher/foreground.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunRestore(const GlobalOptions& global, const ParsedFlags& flags) {
  if (flags.IsSet("no-pivot")) {
    return absl::InvalidArgumentError(
        "--no-pivot is not supported by restore: CRIU restores the root with pivot_root");
  }
  const std::string& id = flags.positional().front();
  const bool detach = flags.IsSet("detach");
  runtime::RestoreOptions options;
  RETURN_IF_ERROR(CriuCommonOptionsFromFlags(flags, options));
  ASSIGN_OR_RETURN(options.bundle, ResolveBundle(flags));
  options.lsm_profile = flags.ValueOr("lsm-profile", "");
  options.lsm_mount_context = flags.ValueOr("lsm-mount-context", "");
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(BundleConfigPath(options.bundle)));
  // As create: the pty's master goes to --console-socket or, in the
  // foreground, to this process, which relays it.
  ASSIGN_OR_RETURN(const ConsoleEnds console,
                   OpenConsoleEnds(spec.process().terminal(), detach, flags));
  options.console_socket = console.for_runtime.get();

  runtime::Runtime hull(RuntimeOptionsFor(global));
  ASSIGN_OR_RETURN(runtime::Container container, hull.Restore(id, std::move(spec), options));
  std::optional<console::TerminalProxy> terminal;
  absl::Status finished;
  if (console.foreground.valid()) {
    absl::StatusOr<UniqueFd> master = console::ReceivePtyMaster(console.foreground.get());
    finished = master.status();
    if (master.ok()) {
      absl::StatusOr<console::TerminalProxy> proxy = console::TerminalProxy::Start(
          {.master = master->get(), .in = STDIN_FILENO, .out = STDOUT_FILENO});
      finished = proxy.status();
      if (proxy.ok()) terminal.emplace(*std::move(proxy));
    }
  }
  if (auto pid_file = flags.Value("pid-file"); pid_file && finished.ok()) {
    finished = WritePidFile(*pid_file, container.init_pid());
  }
  if (!finished.ok()) {
    (void)container.Delete(/*force=*/true);
    return finished;
  }
  if (detach) return 0;
  // As runc: a foreground restore waits for the container, then removes it.
  absl::StatusOr<int> exit_code =
      WaitInForeground(container, terminal.has_value() ? &*terminal : nullptr);
  absl::Status deleted = container.Delete(/*force=*/!exit_code.ok());
  if (exit_code.ok() && !deleted.ok()) return deleted;
  return exit_code;
}

}  // namespace

Command RestoreCommand() {
  std::vector<FlagSpec> flags = CriuCommonFlags();
  flags.insert(flags.end(), {
      {.name = "console-socket", .takes_value = true,
       .help = "path to an AF_UNIX socket which will receive a file descriptor referencing the "
               "master end of the console's pseudoterminal"},
      {.name = "bundle", .short_name = "b", .takes_value = true,
       .help = "path to the root of the bundle directory"},
      {.name = "detach", .short_name = "d", .help = "detach from the container's process"},
      {.name = "pid-file", .takes_value = true,
       .help = "specify the file to write the process id to"},
      {.name = "no-subreaper",
       .help = "disable the use of the subreaper used to reap reparented processes (Hull never "
               "uses one)"},
      {.name = "no-pivot",
       .help = "do not use pivot root to jail process inside rootfs (not supported: refused)"},
      {.name = "lsm-profile", .takes_value = true,
       .help = "Specify an LSM profile to be used during restore in the form of TYPE:NAME."},
      {.name = "lsm-mount-context", .takes_value = true,
       .help = "Specify an LSM mount context to be used during restore."},
  });
  return {
      .name = "restore",
      .arguments = "<container-id>",
      .summary = "restore a container from a previous checkpoint",
      .description = "Restores the saved state of the container instance that was previously "
                     "saved\nusing the checkpoint command.",
      .flags = std::move(flags),
      .min_args = 1,
      .max_args = 1,
      .run = RunRestore,
  };
}

}  // namespace hull::launcher
