#include "tools/launcher/checkpoint_command.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/criu_flags.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunCheckpoint(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::CheckpointOptions options;
  RETURN_IF_ERROR(CriuCommonOptionsFromFlags(flags, options));
  options.parent_path = flags.ValueOr("parent-path", "");
  options.leave_running = flags.IsSet("leave-running");
  options.pre_dump = flags.IsSet("pre-dump");
  options.page_server = flags.ValueOr("page-server", "");
  if (auto fd = flags.Value("status-fd")) {
    if (!absl::SimpleAtoi(*fd, &options.status_fd) || options.status_fd < -1) {
      return absl::InvalidArgumentError(absl::StrCat("--status-fd: not an fd: ", *fd));
    }
  }
  if (options.lazy_pages && options.page_server.empty() && options.status_fd < 0) {
    // runc's check: a lazy dump waits for someone to fetch the pages.
    return absl::InvalidArgumentError("--lazy-pages needs --page-server or --status-fd");
  }
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  RETURN_IF_ERROR(loaded.container.Checkpoint(options));
  return 0;
}

}  // namespace

Command CheckpointCommand() {
  std::vector<FlagSpec> flags = CriuCommonFlags();
  flags.insert(flags.end(), {
      {.name = "parent-path", .takes_value = true,
       .help = "path for previous criu image files in pre-dump (relative to the image path)"},
      {.name = "leave-running", .help = "leave the process running after checkpointing"},
      {.name = "status-fd", .takes_value = true,
       .help = "criu writes \\0 to this FD once lazy-pages is ready (default: -1)"},
      {.name = "page-server", .takes_value = true, .help = "ADDRESS:PORT of the page server"},
      {.name = "pre-dump",
       .help = "dump container's memory information only, leave the container running after "
               "this"},
  });
  return {
      .name = "checkpoint",
      .arguments = "<container-id>",
      .summary = "checkpoint a running container",
      .description = "The checkpoint command saves the state of the container instance (with "
                     "CRIU).\nThe container is then stopped (kept until delete), unless "
                     "--leave-running or --pre-dump.",
      .flags = std::move(flags),
      .min_args = 1,
      .max_args = 1,
      .run = RunCheckpoint,
  };
}

}  // namespace hull::launcher
