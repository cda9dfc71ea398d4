// `hull exec`: run a process in a running container, with runc 1.1.5's
// syntax: `hull exec [options] <container-id> <command> [args...]` (what
// follows the command is its argv) or `hull exec -p process.json <id>`.
// In the foreground it forwards the shell's signals to the process and
// exits with its exit code (128 + n for signal n); --detach leaves it to
// whoever is this process's subreaper.
#ifndef HULL_TOOLS_LAUNCHER_EXEC_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_EXEC_COMMAND_H_

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "runtime/exec_options.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

Command ExecCommand();

// The process the flags describe: --process's file as it is, or the
// container's own process (`container_process`) with the command line's
// argv, --env appended, --cwd, --user, --additional-gids, --cap (added to
// the bounding, effective and permitted sets, and to the ambient one when
// the config has inheritable ones, as runc does) and --no-new-privs.
absl::StatusOr<config::Process> ExecProcessFromFlags(const ParsedFlags& flags,
                                                     const config::Process& container_process);

// --preserve-fds, --ignore-paused and --cgroup ([controller,...:]path).
absl::StatusOr<runtime::ExecOptions> ExecOptionsFromFlags(const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_EXEC_COMMAND_H_
