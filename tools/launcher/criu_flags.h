// The flags `checkpoint` and `restore` share (runc's), and what they become.
#ifndef HULL_TOOLS_LAUNCHER_CRIU_FLAGS_H_
#define HULL_TOOLS_LAUNCHER_CRIU_FLAGS_H_

#include <vector>

#include "absl/status/status.h"
#include "runtime/criu/checkpoint_options.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// --image-path, --work-path, --tcp-established, --ext-unix-sk, --shell-job,
// --file-locks, --manage-cgroups-mode, --empty-ns, --auto-dedup, --lazy-pages.
std::vector<FlagSpec> CriuCommonFlags();

// The options of CriuCommonFlags: the image path by default ./checkpoint, the
// network namespace always empty (both as runc's); --empty-ns takes
// "network" only (CRIU makes no other namespace empty).
absl::Status CriuCommonOptionsFromFlags(const ParsedFlags& flags,
                                        runtime::CriuCommonOptions& options);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_CRIU_FLAGS_H_
