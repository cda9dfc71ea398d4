// linux.intelRdt over a container's life (cgroups/resctrl.h on the host's
// /sys/fs/resctrl): its groups made with its cgroups, its init joined right
// after the clone, its schemata updated, its monitoring data in the stats,
// its groups removed at delete. A config without linux.intelRdt costs
// nothing here.
#ifndef HULL_RUNTIME_INTEL_RDT_H_
#define HULL_RUNTIME_INTEL_RDT_H_

#include <sys/types.h>

#include "absl/status/status.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {

// Checks the schemata against the host's info/ and makes the groups; an
// error naming linux.intelRdt when the host has no resctrl.
absl::Status CreateIntelRdt(const statemachine::ContainerState& state);

// Moves the init (`pid`) into the container's groups.
absl::Status JoinIntelRdt(const statemachine::ContainerState& state, pid_t pid);

// Writes `rdt`'s schemata to the container's group.
absl::Status UpdateIntelRdt(const statemachine::ContainerState& state,
                            const config::IntelRdt& rdt);

// Fills stats.intel_rdt.
absl::Status AddIntelRdtStats(const statemachine::ContainerState& state, cgroups::Stats& stats);

// Removes the groups Create made (none when resctrl is not mounted: Create
// made nothing then).
absl::Status RemoveIntelRdt(const statemachine::ContainerState& state);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_INTEL_RDT_H_
