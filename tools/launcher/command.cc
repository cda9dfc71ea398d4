#include "tools/launcher/command.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hull::launcher {

absl::StatusOr<ParsedFlags> ParseCommandArguments(const Command& command,
                                                  absl::Span<const std::string> args) {
  std::vector<FlagSpec> flag_specs = command.flags;
  flag_specs.push_back({.name = "help", .short_name = "h", .help = "show help"});
  absl::StatusOr<ParsedFlags> flags =
      FlagParser(std::move(flag_specs))
          .Parse(args, /*stop_at_first_positional=*/false, command.max_flag_positionals);
  if (!flags.ok() || flags->IsSet("help")) return flags;
  const int count = static_cast<int>(flags->positional().size());
  if (count < command.min_args || (command.max_args >= 0 && count > command.max_args)) {
    std::string wanted = command.min_args == command.max_args
                             ? absl::StrCat("exactly ", command.min_args)
                             : absl::StrCat(command.min_args, " to ", command.max_args);
    return absl::InvalidArgumentError(absl::StrCat(
        "hull: \"", command.name, "\" requires ", wanted, " argument(s); usage: hull ",
        command.name, " [command options] ", command.arguments));
  }
  return flags;
}

}  // namespace hull::launcher
