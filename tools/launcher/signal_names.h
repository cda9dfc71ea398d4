// Signal names as `kill` takes them: "KILL", "SIGKILL" or "9"; "0" checks
// that the process is alive.
#ifndef HULL_TOOLS_LAUNCHER_SIGNAL_NAMES_H_
#define HULL_TOOLS_LAUNCHER_SIGNAL_NAMES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::launcher {

absl::StatusOr<int> ParseSignal(absl::string_view text);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_SIGNAL_NAMES_H_
