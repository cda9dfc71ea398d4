// One `hull` verb: its flags, how many positional arguments it takes, and
// what it runs. Each verb is a file and a library of its own
// (`kill_command.h`: `KillCommand()`); all_commands.h lists them.
#ifndef HULL_TOOLS_LAUNCHER_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// Options given before the command name, shared by every command.
struct GlobalOptions {
  std::string root;  // --root: where container state lives
  bool debug = false;  // --debug: the containers' inits log their steps too
  bool systemd_cgroup = false;  // --systemd-cgroup: new containers' cgroups are systemd scopes
  // --rootless (runtime::RuntimeOptions::rootless_cgroups).
  bool rootless_cgroups = false;
  // The invoker runs in a user namespace other than the initial one
  // (runtime::RuntimeOptions::in_user_namespace).
  bool in_user_namespace = false;
  // `root` is the default under $XDG_RUNTIME_DIR, which main makes (as runc).
  bool root_in_user_runtime_dir = false;
  std::string criu = "criu";  // --criu: the binary checkpoint and restore run
};

// Its texts are string literals, as a FlagSpec's.
struct Command {
  absl::string_view name;
  absl::string_view arguments;  // for usage lines: "<container-id>"
  absl::string_view summary;
  // What `hull CMD --help` prints under DESCRIPTION (runc's layout); may be
  // empty. Lines after the first are printed as given.
  absl::string_view description;
  std::vector<FlagSpec> flags;
  int min_args = 0;
  int max_args = 0;  // -1: any number
  // Flags are parsed up to this many positional arguments; the rest pass
  // through untouched (`ps ID -o pid`); -1: flags anywhere.
  int max_flag_positionals = -1;
  // Returns the process exit code (0 unless the command runs a container).
  absl::StatusOr<int> (*run)(const GlobalOptions& global, const ParsedFlags& flags);
};

// Parses what follows the command's name: its flags, --help (-h), and its
// positional arguments, whose count is checked unless --help is given (the
// error is runc's usage line).
absl::StatusOr<ParsedFlags> ParseCommandArguments(const Command& command,
                                                  absl::Span<const std::string> args);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_COMMAND_H_
