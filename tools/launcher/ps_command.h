// `hull ps`: the processes of a container, as their pids in JSON or as the
// lines of the host's `ps` that show them (with ps's options after the id).
#ifndef HULL_TOOLS_LAUNCHER_PS_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_PS_COMMAND_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/launcher/command.h"

namespace hull::launcher {

Command PsCommand();

// The shell command that lists the host's processes: `ps` with `ps_options`,
// or `ps -ef` without any.
std::string PsCommandLine(const std::vector<std::string>& ps_options);

// Of what `command` printed, the header and the lines whose PID column is one
// of `pids`, each ending in a newline, as runc keeps them.
absl::StatusOr<std::string> SelectPsLines(absl::string_view command, absl::string_view output,
                                          const std::vector<pid_t>& pids);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_PS_COMMAND_H_
