#include "cgroups/layout.h"

#include <linux/magic.h>
#include <sys/statfs.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/status_util.h"
#include "cgroups/own_cgroups.h"
#include "base/procfs_files.h"
#include "base/container_path.h"
#include "base/mountinfo.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

// The first v1 mount strictly below `root` that holds `controllers`.
const MountInfo* FindV1Mount(const std::vector<MountInfo>& mounts,
                                     absl::string_view root,
                                     const std::vector<std::string>& controllers) {
  for (const MountInfo& mount : mounts) {
    if (mount.fstype == "cgroup" && mount.mount_point != root &&
        IsAtOrBelow(mount.mount_point, root) && HoldsControllers(mount.super_options, controllers)) {
      return &mount;
    }
  }
  return nullptr;
}

// `mounts` or `own` nullptr: not read, the mount root or the own cgroup is
// unknown ("").
absl::StatusOr<Hierarchy> UnifiedHierarchy(const std::vector<MountInfo>* mounts,
                                           const std::vector<OwnCgroup>* own,
                                           const std::string& mount_point) {
  Hierarchy unified;
  unified.mount_point = mount_point;
  if (mounts == nullptr) unified.mount_root.clear();
  for (const MountInfo& mount : mounts != nullptr ? *mounts : std::vector<MountInfo>()) {
    if (mount.fstype == "cgroup2" && mount.mount_point == mount_point) {
      unified.mount_root = mount.root;
      break;
    }
  }
  if (own == nullptr) {
    unified.own_cgroup.clear();
    return unified;
  }
  const OwnCgroup* line = FindOwnCgroup(*own, /*cgroup2=*/true, {});
  if (line == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cgroup2 is mounted at \"", mount_point,
                     "\" but /proc/self/cgroup has no \"0::\" line for it"));
  }
  unified.own_cgroup = line->path;
  return unified;
}

}  // namespace

const Hierarchy* Layout::FindV1(absl::string_view controller) const {
  for (const Hierarchy& hierarchy : v1) {
    if (std::find(hierarchy.controllers.begin(), hierarchy.controllers.end(), controller) !=
        hierarchy.controllers.end()) {
      return &hierarchy;
    }
  }
  return nullptr;
}

absl::StatusOr<Layout> ParseLayout(absl::string_view root, RootFilesystems filesystems,
                                   std::optional<absl::string_view> mountinfo,
                                   std::optional<absl::string_view> own_cgroups) {
  std::vector<MountInfo> mounts;
  if (mountinfo.has_value()) {
    ASSIGN_OR_RETURN(mounts, ParseMountInfo(*mountinfo));
  }
  std::vector<OwnCgroup> own;
  if (own_cgroups.has_value()) {
    ASSIGN_OR_RETURN(own, ParseOwnCgroups(*own_cgroups));
  }
  Layout layout;
  layout.root = CleanContainerPath(root);

  if (filesystems.root == CGROUP2_SUPER_MAGIC) {
    layout.mode = CgroupMode::kV2;
    ASSIGN_OR_RETURN(layout.unified,
                     UnifiedHierarchy(mountinfo.has_value() ? &mounts : nullptr,
                                      own_cgroups.has_value() ? &own : nullptr, layout.root));
    return layout;
  }
  if ((!mountinfo.has_value() || !own_cgroups.has_value()) && filesystems.root == TMPFS_MAGIC) {
    return absl::InvalidArgumentError(
        absl::StrCat("the cgroup v1 hierarchies under ", layout.root,
                     " are found in /proc/self/mountinfo and /proc/self/cgroup"));
  }
  if (filesystems.root != TMPFS_MAGIC) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is neither cgroup2 nor a tmpfs holding cgroup v1 hierarchies (filesystem type 0x%x)",
        layout.root, filesystems.root));
  }
  layout.mode = CgroupMode::kV1;
  if (filesystems.unified == CGROUP2_SUPER_MAGIC) {
    layout.mode = CgroupMode::kHybrid;
    ASSIGN_OR_RETURN(layout.unified,
                     UnifiedHierarchy(&mounts, &own, absl::StrCat(layout.root, "/unified")));
  }
  // As runc does: each v1 line of /proc/self/cgroup names one hierarchy's
  // controllers; its mount is the cgroup mount whose super options list them.
  for (const OwnCgroup& line : own) {
    if (line.controllers.empty()) continue;
    const MountInfo* mount = FindV1Mount(mounts, layout.root, line.controllers);
    if (mount == nullptr) continue;  // mounted elsewhere, or not at all
    layout.v1.push_back({.mount_point = mount->mount_point,
                         .mount_root = mount->root,
                         .own_cgroup = line.path,
                         .controllers = line.controllers});
  }
  if (layout.v1.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no cgroup v1 hierarchy is mounted under ", layout.root));
  }
  for (MountInfo& mount : mounts) {
    if (mount.fstype == "cgroup" || mount.fstype == "cgroup2") {
      layout.cgroup_mounts.push_back(std::move(mount));
    }
  }
  return layout;
}

absl::StatusOr<Layout> DetectLayout(absl::string_view root, LayoutDetail detail) {
  const std::string root_path(root);
  RootFilesystems filesystems;
  struct statfs fs = {};
  if (statfs(root_path.c_str(), &fs) != 0) {
    return ErrnoStatus("statfs ", root_path);
  }
  filesystems.root = static_cast<int64_t>(fs.f_type);
  // Only a tmpfs root (v1 or hybrid) has a cgroup2 hierarchy below it.
  if (filesystems.root == TMPFS_MAGIC) {
    const std::string unified = absl::StrCat(root_path, "/unified");
    if (statfs(unified.c_str(), &fs) == 0) {
      filesystems.unified = static_cast<int64_t>(fs.f_type);
    } else if (errno != ENOENT) {
      return ErrnoStatus("statfs ", unified);
    }
  }
  LinuxProcFiles proc;
  std::optional<std::string> mountinfo;
  std::optional<std::string> own_cgroups;
  if (detail == LayoutDetail::kFull || filesystems.root != CGROUP2_SUPER_MAGIC) {
    ASSIGN_OR_RETURN(mountinfo, proc.Read("self/mountinfo"));
    ASSIGN_OR_RETURN(own_cgroups, proc.Read("self/cgroup"));
  }
  const auto view = [](const std::optional<std::string>& text) {
    return text.has_value() ? std::optional<absl::string_view>(*text) : std::nullopt;
  };
  return ParseLayout(root_path, filesystems, view(mountinfo), view(own_cgroups));
}

}  // namespace hull::cgroups
