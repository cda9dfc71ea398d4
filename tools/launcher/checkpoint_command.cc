#include "tools/launcher/checkpoint_command.h"

#include "absl/status/status.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunCheckpoint(const GlobalOptions&, const ParsedFlags&) {
  return absl::UnimplementedError(
      "checkpoint is not supported: Hull has no CRIU checkpoint/restore yet");
}

}  // namespace

Command CheckpointCommand() {
  return {
      .name = "checkpoint",
      .arguments = "<container-id>",
      .summary = "checkpoint a running container (not supported yet: refused)",
      .description = "The checkpoint command saves the state of the container instance.",
      .flags =
          {
              {.name = "image-path", .takes_value = true,
               .help = "path for saving criu image files"},
              {.name = "work-path", .takes_value = true,
               .help = "path for saving work files and logs"},
              {.name = "parent-path", .takes_value = true,
               .help = "path for previous criu image files in pre-dump"},
              {.name = "leave-running", .help = "leave the process running after checkpointing"},
              {.name = "tcp-established", .help = "allow open tcp connections"},
              {.name = "ext-unix-sk", .help = "allow external unix sockets"},
              {.name = "shell-job", .help = "allow shell jobs"},
              {.name = "lazy-pages", .help = "use userfaultfd to lazily restore memory pages"},
              {.name = "status-fd", .takes_value = true,
               .help = "criu writes \\0 to this FD once lazy-pages is ready (default: -1)"},
              {.name = "page-server", .takes_value = true,
               .help = "ADDRESS:PORT of the page server"},
              {.name = "file-locks", .help = "handle file locks, for safety"},
              {.name = "pre-dump",
               .help = "dump container's memory information only, leave the container running "
                       "after this"},
              {.name = "manage-cgroups-mode", .takes_value = true,
               .help = "cgroups mode: 'soft' (default), 'full' and 'strict'"},
              {.name = "empty-ns", .takes_value = true,
               .help = "create a namespace, but don't restore its properties"},
              {.name = "auto-dedup", .help = "enable auto deduplication of memory images"},
          },
      .min_args = 1,
      .max_args = 1,
      .run = RunCheckpoint,
  };
}

}  // namespace hull::launcher
