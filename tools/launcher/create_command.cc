#include "tools/launcher/create_command.h"

#include <sys/socket.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/json.h"
#include "runtime/console/console_socket.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/console_flags.h"
#include "tools/launcher/notify_relay.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunCreate(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(RuntimeOptionsFor(global));
  RETURN_IF_ERROR(CreateFromFlags(hull, flags, /*detach=*/true).status());
  return 0;
}

}  // namespace

std::vector<FlagSpec> CreateFlags() {
  return {
      {.name = "bundle", .short_name = "b", .takes_value = true,
       .help = "path to the root of the bundle directory (default: current directory)"},
      {.name = "pid-file", .takes_value = true, .help = "write the init's pid to this file"},
      {.name = "console-socket", .takes_value = true,
       .help = "path to a unix socket that receives the master of the container's pty"},
      {.name = "no-pivot", .help = "use MS_MOVE and chroot instead of pivot_root (ramfs roots)"},
      {.name = "no-new-keyring", .help = "keep the caller's session keyring"},
      {.name = "preserve-fds", .takes_value = true,
       .help = "pass this many extra fds (from fd 3) to the container"},
  };
}

absl::StatusOr<runtime::CreateOptions> CreateOptionsFromFlags(const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(std::string bundle, ResolveBundle(flags));
  runtime::CreateOptions options{.bundle = std::move(bundle),
                                 .no_pivot = flags.IsSet("no-pivot"),
                                 .no_new_keyring = flags.IsSet("no-new-keyring"),
                                 .notify_socket = HostNotifySocket().has_value()};
  if (auto fds = flags.Value("preserve-fds")) {
    if (!absl::SimpleAtoi(*fds, &options.preserve_fds) || options.preserve_fds < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--preserve-fds: not a count: ", *fds));
    }
  }
  return options;
}

absl::StatusOr<CreatedContainer> CreateFromFlags(runtime::Runtime& hull, const ParsedFlags& flags,
                                                 bool detach) {
  const std::string& id = flags.positional().front();
  ASSIGN_OR_RETURN(runtime::CreateOptions options, CreateOptionsFromFlags(flags));
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(BundleConfigPath(options.bundle)));
  const bool terminal = spec.process().terminal();
  // Where the pty master goes: --console-socket, or, in the foreground, a
  // socketpair whose other end this process reads (as runc does).
  ASSIGN_OR_RETURN(const ConsoleEnds console, OpenConsoleEnds(terminal, detach, flags));
  options.console_socket = console.for_runtime.get();
  ASSIGN_OR_RETURN(runtime::Container container, hull.Create(id, std::move(spec), options));
  CreatedContainer created{.container = std::move(container)};
  absl::Status finished;
  if (console.foreground.valid()) {
    absl::StatusOr<UniqueFd> master = console::ReceivePtyMaster(console.foreground.get());
    finished = master.status();
    if (master.ok()) created.pty_master = *std::move(master);
  }
  if (auto pid_file = flags.Value("pid-file"); pid_file && finished.ok()) {
    finished = WritePidFile(*pid_file, created.container.init_pid());
  }
  if (!finished.ok()) {
    (void)created.container.Delete(/*force=*/true);
    return finished;
  }
  return created;
}

Command CreateCommand() {
  return {.name = "create",
          .arguments = "<container-id>",
          .summary = "create a container",
          .flags = CreateFlags(),
          .min_args = 1,
          .max_args = 1,
          .run = RunCreate};
}

}  // namespace hull::launcher
