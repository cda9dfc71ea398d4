#include "runtime/rootfs/cgroup_mount.h"

#include <sys/mount.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cgroups/own_cgroups.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::rootfs {
namespace {

bool IsCgroupFilesystem(const MountInfo& mount) {
  return mount.fstype == "cgroup" || mount.fstype == "cgroup2";
}

// Copies what the configured mount asks for onto one of its parts.
PlannedMount Part(const PlannedMount& mount, MountKind kind, std::string destination) {
  PlannedMount part;
  part.kind = kind;
  part.destination = std::move(destination);
  part.flags = mount.flags;
  part.cleared_flags = mount.cleared_flags;
  part.propagation = mount.propagation;
  part.recursive_attr_set = mount.recursive_attr_set;
  part.recursive_attr_clr = mount.recursive_attr_clr;
  return part;
}

}  // namespace

CgroupMountPlan PlanUnifiedCgroupMount(const PlannedMount& mount) {
  CgroupMountPlan plan;
  if (mount.in_user_namespace && !mount.cgroup_namespace) {
    // The kernel refuses a cgroup2 mount to a user namespace that does not
    // own the cgroup namespace: the host's is bound instead (runc's fallback
    // on EPERM).
    PlannedMount bind = Part(mount, MountKind::kBind, mount.destination);
    bind.source = std::string(kHostCgroupRoot);
    plan.mounts.push_back(std::move(bind));
    return plan;
  }
  PlannedMount unified = Part(mount, MountKind::kFilesystem, mount.destination);
  unified.fstype = "cgroup2";
  unified.source = "cgroup2";
  unified.data = mount.data;
  plan.mounts.push_back(std::move(unified));
  return plan;
}

absl::StatusOr<CgroupMountPlan> PlanSplitCgroupMount(const PlannedMount& mount,
                                                     absl::Span<const MountInfo> host_mounts,
                                                     absl::string_view own_cgroups) {
  CgroupMountPlan plan;
  ASSIGN_OR_RETURN(const std::vector<cgroups::OwnCgroup> own, cgroups::ParseOwnCgroups(own_cgroups));
  PlannedMount tmpfs;
  tmpfs.kind = MountKind::kFilesystem;
  tmpfs.destination = mount.destination;
  tmpfs.fstype = "tmpfs";
  tmpfs.source = "tmpfs";
  tmpfs.flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  tmpfs.data = "mode=755";
  tmpfs.propagation = mount.propagation;
  plan.mounts.push_back(std::move(tmpfs));

  for (const MountInfo& host : host_mounts) {
    if (!IsCgroupFilesystem(host)) continue;
    auto [parent, name] = SplitLast(host.mount_point);
    if (parent != kHostCgroupRoot) continue;
    const std::string destination = absl::StrCat(mount.destination, "/", name);
    if (mount.cgroup_namespace) {
      // A fresh mount shows the namespace's root: the container's cgroup.
      PlannedMount fresh = Part(mount, MountKind::kFilesystem, destination);
      fresh.fstype = host.fstype;
      fresh.source = "cgroup";
      std::vector<absl::string_view> options;
      for (const std::string& option : host.super_options) {
        if (option != "rw" && option != "ro") options.push_back(option);
      }
      if (host.fstype == "cgroup") fresh.data = absl::StrJoin(options, ",");
      plan.mounts.push_back(std::move(fresh));
    } else {
      const cgroups::OwnCgroup* line =
          cgroups::FindOwnCgroup(own, host.fstype == "cgroup2", host.super_options);
      if (line == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the process has no cgroup in the hierarchy at \"", host.mount_point, "\""));
      }
      if (!IsAtOrBelow(line->path, host.root)) {
        return absl::FailedPreconditionError(
            absl::StrCat("the process's cgroup \"", line->path, "\" is outside the root \"",
                         host.root, "\" of the hierarchy at \"", host.mount_point, "\""));
      }
      PlannedMount bind = Part(mount, MountKind::kBind, destination);
      bind.recursive = true;
      bind.source = CleanContainerPath(absl::StrCat(
          host.mount_point, "/", line->path.substr(host.root == "/" ? 0 : host.root.size())));
      plan.mounts.push_back(std::move(bind));
    }
    if (absl::StrContains(name, ',')) {
      for (absl::string_view controller : absl::StrSplit(name, ',')) {
        plan.symlinks.push_back(
            {.target = name, .path = absl::StrCat(mount.destination, "/", controller)});
      }
    }
  }
  if (plan.mounts.size() == 1) {
    return absl::FailedPreconditionError(
        "no cgroup hierarchy is mounted under /sys/fs/cgroup on the host");
  }
  plan.read_only_tmpfs = (mount.flags & MS_RDONLY) != 0;
  return plan;
}

}  // namespace hull::rootfs
