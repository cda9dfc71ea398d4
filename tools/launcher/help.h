// `hull --help` and `hull CMD --help`, in runc's layout (urfave/cli's
// templates: NAME, USAGE, VERSION, DESCRIPTION, COMMANDS, OPTIONS).
#ifndef HULL_TOOLS_LAUNCHER_HELP_H_
#define HULL_TOOLS_LAUNCHER_HELP_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// The help of the whole program: every command (and `help, h`), then the
// global flags. `version` is the text `hull --version` prints.
std::string ProgramHelp(const std::vector<Command>& commands,
                        const std::vector<FlagSpec>& global_flags, absl::string_view version);

// The help of one command: its usage line, description and flags.
std::string CommandHelp(const Command& command);

// The message of an unknown command or help topic, as runc words it.
std::string NoHelpTopic(absl::string_view name);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_HELP_H_
