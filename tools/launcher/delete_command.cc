#include "tools/launcher/delete_command.h"

#include <string>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunDelete(const GlobalOptions& global, const ParsedFlags& flags) {
  const std::string& id = flags.positional().front();
  absl::StatusOr<LoadedContainer> loaded = LoadContainer(global, id);
  // runc: deleting an unknown container with --force succeeds (here it also
  // removes what a create of it killed early left).
  if (absl::IsNotFound(loaded.status()) && flags.IsSet("force")) {
    RETURN_IF_ERROR(runtime::Runtime(RuntimeOptionsFor(global)).RemoveAbandoned(id));
    return 0;
  }
  RETURN_IF_ERROR(loaded.status());
  RETURN_IF_ERROR(loaded->container.Delete(flags.IsSet("force")));
  return 0;
}

}  // namespace

Command DeleteCommand() {
  return {.name = "delete",
          .arguments = "<container-id>",
          .summary = "delete a container and what it holds",
          .flags = {{.name = "force", .short_name = "f",
                     .help = "kill a running container first; an unknown id is no error"}},
          .min_args = 1,
          .max_args = 1,
          .run = RunDelete};
}

}  // namespace hull::launcher
