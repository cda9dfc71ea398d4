#include "tools/launcher/sealed_start.h"

#include <string>

#include "absl/status/statusor.h"
#include "tools/launcher/command_line.h"
#include "tools/launcher/global_flags.h"

namespace hull::launcher {

bool StartsContainerProcesses(absl::Span<const std::string> args) {
  const absl::StatusOr<ParsedFlags> global =
      FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/true);
  if (!global.ok() || global->positional().empty()) return false;
  const std::string& command = global->positional().front();
  return command == "create" || command == "run" || command == "exec";
}

}  // namespace hull::launcher
