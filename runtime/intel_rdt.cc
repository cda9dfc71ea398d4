#include "runtime/intel_rdt.h"

#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/resctrl.h"
#include "runtime/recorded_config.h"

namespace hull::runtime {
namespace {

using ::hull::statemachine::ContainerState;

absl::StatusOr<cgroups::Resctrl> GroupsOf(const ContainerState& state,
                                          const ResctrlHost& resctrl) {
  return cgroups::Resctrl::Open(*resctrl.fs, state.config().linux().intel_rdt(), state.id(),
                                resctrl.root);
}

}  // namespace

const ResctrlHost& HostResctrl() {
  static const ResctrlHost* host = new ResctrlHost{.fs = new cgroups::LinuxCgroupFs};
  return *host;
}

absl::Status CreateIntelRdt(const ContainerState& state, const ResctrlHost& resctrl) {
  if (!UsesIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state, resctrl));
  return groups.Create(state.config().linux().intel_rdt());
}

absl::Status JoinIntelRdt(const ContainerState& state, pid_t pid, const ResctrlHost& resctrl) {
  if (!UsesIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state, resctrl));
  return groups.AddProcess(pid);
}

absl::Status UpdateIntelRdt(const ContainerState& state, const config::IntelRdt& rdt,
                            const ResctrlHost& resctrl) {
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state, resctrl));
  return groups.Update(rdt);
}

absl::Status AddIntelRdtStats(const ContainerState& state, cgroups::Stats& stats,
                              const ResctrlHost& resctrl) {
  if (!UsesIntelRdt(state)) return absl::OkStatus();
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state, resctrl));
  ASSIGN_OR_RETURN(*stats.mutable_intel_rdt(), groups.Stats());
  return absl::OkStatus();
}

absl::Status RemoveIntelRdt(const ContainerState& state, const ResctrlHost& resctrl) {
  if (!UsesIntelRdt(state) || !cgroups::ResctrlMounted(*resctrl.fs, resctrl.root)) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(cgroups::Resctrl groups, GroupsOf(state, resctrl));
  return groups.Remove();
}

}  // namespace hull::runtime
