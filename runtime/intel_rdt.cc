#include "runtime/intel_rdt.h"

#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/resctrl.h"

namespace hull::runtime {
namespace {

using ::hull::statemachine::ContainerState;

cgroups::CgroupFs& HostFs() {
  static cgroups::LinuxCgroupFs* fs = new cgroups::LinuxCgroupFs;
  return *fs;
}

absl::StatusOr<cgroups::Resctrl> GroupsOf(const ContainerState& state) {
  return cgroups::Resctrl::Open(HostFs(), state.config().linux().intel_rdt(), state.id());
}

bool HasIntelRdt(const ContainerState& state) { return state.config().linux().has_intel_rdt(); }

}  // namespace

absl::Status CreateIntelRdt(const ContainerState& state) {
  if (!HasIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state));
  return groups.Create(state.config().linux().intel_rdt());
}

absl::Status JoinIntelRdt(const ContainerState& state, pid_t pid) {
  if (!HasIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state));
  return groups.AddProcess(pid);
}

absl::Status UpdateIntelRdt(const ContainerState& state, const config::IntelRdt& rdt) {
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state));
  return groups.Update(rdt);
}

absl::Status AddIntelRdtStats(const ContainerState& state, cgroups::Stats& stats) {
  if (!HasIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state));
  ASSIGN_OR_RETURN(*stats.mutable_intel_rdt(), groups.Stats());
  return absl::OkStatus();
}

absl::Status RemoveIntelRdt(const ContainerState& state) {
  if (!HasIntelRdt(state) || !cgroups::ResctrlMounted(HostFs())) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state));
  return groups.Remove();
}

}  // namespace hull::runtime
