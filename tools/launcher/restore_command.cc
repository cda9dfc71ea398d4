#include "tools/launcher/restore_command.h"

#include "absl/status/status.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunRestore(const GlobalOptions&, const ParsedFlags&) {
  return absl::UnimplementedError(
      "restore is not supported: Hull has no CRIU checkpoint/restore yet");
}

}  // namespace

Command RestoreCommand() {
  return {
      .name = "restore",
      .arguments = "<container-id>",
      .summary = "restore a container from a previous checkpoint (not supported yet: refused)",
      .description = "Restores the saved state of the container instance that was previously "
                     "saved\nusing the checkpoint command.",
      .flags =
          {
              {.name = "console-socket", .takes_value = true,
               .help = "path to an AF_UNIX socket which will receive a file descriptor "
                       "referencing the master end of the console's pseudoterminal"},
              {.name = "image-path", .takes_value = true,
               .help = "path to criu image files for restoring"},
              {.name = "work-path", .takes_value = true,
               .help = "path for saving work files and logs"},
              {.name = "tcp-established", .help = "allow open tcp connections"},
              {.name = "ext-unix-sk", .help = "allow external unix sockets"},
              {.name = "shell-job", .help = "allow shell jobs"},
              {.name = "file-locks", .help = "handle file locks, for safety"},
              {.name = "manage-cgroups-mode", .takes_value = true,
               .help = "cgroups mode: 'soft' (default), 'full' and 'strict'"},
              {.name = "bundle", .short_name = "b", .takes_value = true,
               .help = "path to the root of the bundle directory"},
              {.name = "detach", .short_name = "d", .help = "detach from the container's process"},
              {.name = "pid-file", .takes_value = true,
               .help = "specify the file to write the process id to"},
              {.name = "no-subreaper",
               .help = "disable the use of the subreaper used to reap reparented processes"},
              {.name = "no-pivot",
               .help = "do not use pivot root to jail process inside rootfs"},
              {.name = "empty-ns", .takes_value = true,
               .help = "create a namespace, but don't restore its properties"},
              {.name = "auto-dedup", .help = "enable auto deduplication of memory images"},
              {.name = "lazy-pages", .help = "use userfaultfd to lazily restore memory pages"},
              {.name = "lsm-profile", .takes_value = true,
               .help = "Specify an LSM profile to be used during restore in the form of "
                       "TYPE:NAME."},
              {.name = "lsm-mount-context", .takes_value = true,
               .help = "Specify an LSM mount context to be used during restore."},
          },
      .min_args = 1,
      .max_args = 1,
      .run = RunRestore,
  };
}

}  // namespace hull::launcher
