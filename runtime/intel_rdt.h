// linux.intelRdt over a container's life (cgroups/resctrl.h on the host's
// /sys/fs/resctrl): its groups made with its cgroups, its init joined right
// after the clone, its schemata updated, its monitoring data in the stats,
// its groups removed at delete. A config without linux.intelRdt costs
// nothing here.
#ifndef HULL_RUNTIME_INTEL_RDT_H_
#define HULL_RUNTIME_INTEL_RDT_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/resctrl.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {

// Where resctrl is: the host's /sys/fs/resctrl, or a fake tree in tests.
struct ResctrlHost {
  cgroups::CgroupFs* fs;
  std::string root = cgroups::kResctrlRoot;
};
const ResctrlHost& HostResctrl();

// Checks the schemata against the host's info/ and makes the groups; an
// error naming linux.intelRdt when the host has no resctrl.
absl::Status CreateIntelRdt(const statemachine::ContainerState& state,
                    const ResctrlHost& resctrl = HostResctrl());

// Moves the init (`pid`) into the container's groups.
absl::Status JoinIntelRdt(const statemachine::ContainerState& state, pid_t pid,
                    const ResctrlHost& resctrl = HostResctrl());

// Writes `rdt`'s schemata to the container's group.
absl::Status UpdateIntelRdt(const statemachine::ContainerState& state,
                            const config::IntelRdt& rdt,
                            const ResctrlHost& resctrl = HostResctrl());

// Fills stats.intel_rdt.
absl::Status AddIntelRdtStats(const statemachine::ContainerState& state, cgroups::Stats& stats,
                    const ResctrlHost& resctrl = HostResctrl());

// Removes the groups Create made (none when resctrl is not mounted: Create
// made nothing then).
absl::Status RemoveIntelRdt(const statemachine::ContainerState& state,
                    const ResctrlHost& resctrl = HostResctrl());

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_INTEL_RDT_H_
