#include "tools/launcher/state_command.h"

#include <iostream>
#include <string>

#include "base/status_macros.h"
#include "runtime/oci_state.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunState(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  ASSIGN_OR_RETURN(statemachine::ContainerState state, loaded.container.StateWithoutConfig());
  ASSIGN_OR_RETURN(std::string json, runtime::OciStateToJson(runtime::ToOciState(state)));
  std::cout << json;
  return 0;
}

}  // namespace

Command StateCommand() {
  return {.name = "state",
          .arguments = "<container-id>",
          .summary = "print the state of a container (OCI state JSON)",
          .min_args = 1,
          .max_args = 1,
          .run = RunState};
}

}  // namespace hull::launcher
