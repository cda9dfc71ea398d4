// `hull update`: replaces a container's resource limits, from a
// linux.resources JSON file (-r FILE, or - for stdin) and runc's flags.
#ifndef HULL_TOOLS_LAUNCHER_UPDATE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_UPDATE_COMMAND_H_

#include <optional>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

Command UpdateCommand();

// `current` with what --resources merges into it, then what each resource
// flag sets (--memory, --cpu-quota, ...: a flag wins over the file).
absl::StatusOr<config::Resources> UpdatedResources(const config::Resources& current,
                                                   const ParsedFlags& flags);

// The container's linux.intelRdt with --l3-cache-schema and --mem-bw-schema
// in place of its schemas; nullopt when neither is given. FailedPrecondition
// naming the flag for a container without linux.intelRdt.
absl::StatusOr<std::optional<config::IntelRdt>> UpdatedIntelRdt(const config::Linux& current,
                                                                const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_UPDATE_COMMAND_H_
