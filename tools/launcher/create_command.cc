#include "tools/launcher/create_command.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "config/json.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunCreate(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(RuntimeOptionsFor(global));
  RETURN_IF_ERROR(CreateFromFlags(hull, flags).status());
  return 0;
}

}  // namespace

std::vector<FlagSpec> CreateFlags() {
  return {
      {.name = "bundle", .short_name = "b", .takes_value = true,
       .help = "path to the root of the bundle directory (default: current directory)"},
      {.name = "pid-file", .takes_value = true, .help = "write the init's pid to this file"},
      {.name = "console-socket", .takes_value = true,
       .help = "unix socket to receive the container's pty master (not supported yet)"},
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
                                 .no_new_keyring = flags.IsSet("no-new-keyring")};
  if (auto fds = flags.Value("preserve-fds")) {
    if (!absl::SimpleAtoi(*fds, &options.preserve_fds) || options.preserve_fds < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--preserve-fds: not a count: ", *fds));
    }
  }
  return options;
}

absl::StatusOr<runtime::Container> CreateFromFlags(runtime::Runtime& hull,
                                                   const ParsedFlags& flags) {
  const std::string& id = flags.positional().front();
  if (flags.Has("console-socket")) {
    return absl::UnimplementedError("--console-socket: terminals are not supported yet");
  }
  ASSIGN_OR_RETURN(const runtime::CreateOptions options, CreateOptionsFromFlags(flags));
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(BundleConfigPath(options.bundle)));
  if (spec.process().terminal()) {
    return absl::UnimplementedError(
        "process.terminal is true: terminals are not supported yet (set it to false)");
  }
  ASSIGN_OR_RETURN(runtime::Container container, hull.Create(id, std::move(spec), options));
  if (auto pid_file = flags.Value("pid-file")) {
    const absl::Status written = WritePidFile(*pid_file, container.init_pid());
    if (!written.ok()) {
      (void)container.Delete(/*force=*/true);
      return written;
    }
  }
  return container;
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
