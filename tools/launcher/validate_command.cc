#include "tools/launcher/validate_command.h"

#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "config/json.h"
#include "config/validator.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunValidate(const GlobalOptions&, const ParsedFlags& flags) {
  const std::string path = flags.positional().empty()
                               ? BundleConfigPath(flags.ValueOr("bundle", "."))
                               : flags.positional().front();
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(path));
  absl::Status valid = config::ValidateSpec(spec);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": invalid config:\n", valid.message()));
  }
  ASSIGN_OR_RETURN(std::string json, config::ConfigToJson(spec));
  std::cout << json << "\n";
  return 0;
}

}  // namespace

Command ValidateCommand() {
  return {
      .name = "validate",
      .arguments = "[config.json]",
      .summary = "check a config against the OCI runtime-spec and print it as Hull reads it",
      .flags = {{.name = "bundle", .short_name = "b", .takes_value = true,
                 .help = "bundle whose config.json to check (default: current directory)"}},
      .max_args = 1,
      .run = RunValidate,
  };
}

}  // namespace hull::launcher
