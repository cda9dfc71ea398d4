#include "runtime/rootless/rootless_check.h"

#include <sys/resource.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "config/namespaces.h"

namespace hull::rootless {
namespace {

absl::Status Unprivileged(absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("rootless container (hull runs without privilege): ", what));
}

}  // namespace

absl::StatusOr<Privilege> CurrentPrivilege(bool in_user_namespace) {
  Privilege privilege;
  privilege.writer = user::CurrentMapWriter();
  privilege.privileged = privilege.writer.uid == 0 && !in_user_namespace;
  // A privileged creator is checked for nothing (CheckUnprivilegedSpec): the
  // start path reads no more.
  if (privilege.privileged) return privilege;
  LinuxProcFiles proc("/proc");
  ASSIGN_OR_RETURN(const std::string oom, proc.Read("self/oom_score_adj"));
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(oom), &privilege.oom_score_adj)) {
    return absl::InternalError(absl::StrCat("/proc/self/oom_score_adj: not a number: ", oom));
  }
  for (int resource = 0; resource < RLIM_NLIMITS; ++resource) {
    struct rlimit limit;
    if (getrlimit(resource, &limit) == 0) privilege.hard_limits[resource] = limit.rlim_max;
  }
  return privilege;
}

absl::Status CheckUnprivilegedSpec(const config::Spec& spec, const Privilege& privilege,
                                   const user::ReadFileFunction& read_file) {
  if (privilege.privileged) return absl::OkStatus();
  if (!config::HasNamespace(spec, "user") && privilege.writer.uid != 0) {
    return Unprivileged(
        "linux.namespaces has no user namespace, and an ordinary user can make no other "
        "namespace, mount or cgroup without one (hull spec --rootless writes a config with one)");
  }
  if (!spec.linux().net_devices().empty()) {
    return Unprivileged(
        "linux.netDevices: moving the host's network devices into the container needs "
        "CAP_NET_ADMIN on the host");
  }
  if (config::CreatesNamespace(spec, "user")) {
    ASSIGN_OR_RETURN(const user::IdMapWrites writes,
                     user::PlanIdMapWrites(spec.linux(), privilege.writer, read_file));
    if (writes.maps.deny_setgroups && spec.process().user().additional_gids_size() > 0) {
      return Unprivileged(
          "process.user.additionalGids cannot be set: the gid map is the user's own gid alone, "
          "written without privilege, which requires setgroups to be denied (give the user "
          "subordinate gids in /etc/subgid and map them: newgidmap writes that map)");
    }
  }
  if (spec.process().has_oom_score_adj() &&
      spec.process().oom_score_adj() < privilege.oom_score_adj) {
    return Unprivileged(absl::StrCat(
        "process.oomScoreAdj ", spec.process().oom_score_adj(), " is below hull's own (",
        privilege.oom_score_adj, "); lowering it needs CAP_SYS_RESOURCE"));
  }
  for (const config::Rlimit& rlimit : spec.process().rlimits()) {
    ASSIGN_OR_RETURN(const int resource, process::RlimitResource(rlimit.type()));
    auto own = privilege.hard_limits.find(resource);
    if (own != privilege.hard_limits.end() && rlimit.hard() > own->second) {
      return Unprivileged(absl::StrCat("process.rlimits ", rlimit.type(), ": hard limit ",
                                       rlimit.hard(), " is above hull's own (", own->second,
                                       "); raising it needs CAP_SYS_RESOURCE"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hull::rootless
