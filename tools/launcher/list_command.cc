#include "tools/launcher/list_command.h"

#include <stdio.h>

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "runtime/container.h"
#include "runtime/oci_state.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunList(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(bool json, WantsJson(flags));
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(std::vector<std::string> ids, hull.List());
  std::vector<runtime::OciState> states;
  for (const std::string& id : ids) {
    absl::StatusOr<runtime::Container> container = hull.Load(id);
    absl::StatusOr<statemachine::ContainerState> state =
        container.ok() ? container->StateWithoutConfig() : container.status();
    // A container deleted meanwhile is not listed; a broken one is reported
    // on stderr and the others listed, as runc does.
    if (absl::IsNotFound(state.status())) continue;
    if (!state.ok()) {
      std::cerr << state.status().message() << "\n";
      continue;
    }
    runtime::OciState oci = runtime::ToOciState(*state);
    // runc's list names the owner (its state leaves root's empty).
    if (oci.owner().empty()) {
      oci.set_owner(state->owner().uid() == 0 ? "root" : absl::StrCat(state->owner().uid()));
    }
    states.push_back(std::move(oci));
  }
  if (flags.IsSet("quiet")) {
    for (const runtime::OciState& state : states) std::cout << state.id() << "\n";
  } else if (json) {
    std::vector<std::string> objects;
    for (const runtime::OciState& state : states) {
      ASSIGN_OR_RETURN(std::string object, runtime::OciStateToJson(state, /*compact=*/true));
      objects.push_back(std::move(object));
    }
    std::cout << "[" << absl::StrJoin(objects, ",") << "]\n";
  } else {
    printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
           "OWNER");
    for (const runtime::OciState& state : states) {
      printf("%-12s %-8d %-10s %-40s %-32s %s\n", state.id().c_str(), state.pid(),
             state.status().c_str(), state.bundle().c_str(), state.created().c_str(),
             state.owner().c_str());
    }
  }
  return 0;
}

}  // namespace

Command ListCommand() {
  return {.name = "list",
          .summary = "list the containers under --root",
          .flags = {FormatFlag(), {.name = "quiet", .short_name = "q", .help = "print ids only"}},
          .run = RunList};
}

}  // namespace hull::launcher
