#include "cgroups/factory.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/cgroup_path.h"
#include "cgroups/device_filter_loader.h"
#include "cgroups/v1.h"
#include "cgroups/v1_directories.h"
#include "cgroups/v2.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

// The v1 hierarchies runc's fs driver puts a container in.
constexpr absl::string_view kManagedControllers[] = {
    "cpu",     "cpuacct", "cpuset", "memory",     "devices", "freezer", "blkio",       "pids",
    "hugetlb", "net_cls", "net_prio", "perf_event", "rdma",  "misc",    "name=systemd"};

bool IsManaged(const Hierarchy& hierarchy) {
  return std::any_of(hierarchy.controllers.begin(), hierarchy.controllers.end(),
                     [](const std::string& controller) {
                       return std::find(std::begin(kManagedControllers),
                                        std::end(kManagedControllers),
                                        controller) != std::end(kManagedControllers);
                     });
}

// The hierarchies a container on `layout` has a directory in, with their
// Paths() key ("" for the cgroup2 one).
std::vector<std::pair<std::string, const Hierarchy*>> ManagedHierarchies(const Layout& layout) {
  std::vector<std::pair<std::string, const Hierarchy*>> hierarchies;
  for (const Hierarchy& hierarchy : layout.v1) {
    if (IsManaged(hierarchy)) hierarchies.emplace_back(hierarchy.controllers.front(), &hierarchy);
  }
  if (layout.unified.has_value()) hierarchies.emplace_back("", &*layout.unified);
  return hierarchies;
}

// The manager of `directories`: on a v2 host the one cgroup2 directory.
absl::StatusOr<std::unique_ptr<Manager>> ManagerFor(const Layout& layout,
                                                    std::vector<CgroupDirectory> directories,
                                                    std::unique_ptr<CgroupFs> fs) {
  if (layout.mode != CgroupMode::kV2) {
    return std::make_unique<V1Manager>(std::move(directories), std::move(fs),
                                       V1Options{.host_cgroup_mounts = layout.cgroup_mounts});
  }
  if (directories.size() != 1) {
    return absl::FailedPreconditionError(
        "the container has no cgroup in this cgroup v2 host's hierarchy");
  }
  CgroupDirectory& directory = directories.front();
  return std::make_unique<V2Manager>(std::move(directory.mount_point), std::move(directory.path),
                                     std::move(directory.created), std::move(fs),
                                     std::make_unique<LinuxDeviceFilterLoader>());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Manager>> NewManager(const Layout& layout,
                                                    const std::string& cgroups_path,
                                                    absl::string_view container_id,
                                                    bool rootless) {
  return NewManager(layout, cgroups_path, container_id, std::make_unique<LinuxCgroupFs>(),
                    rootless);
}

absl::StatusOr<std::unique_ptr<Manager>> NewManager(const Layout& layout,
                                                    const std::string& cgroups_path,
                                                    absl::string_view container_id,
                                                    std::unique_ptr<CgroupFs> fs, bool rootless) {
  const Placement placement{.relative_to_parent = layout.mode == CgroupMode::kV2,
                            .rootless = rootless};
  std::vector<CgroupDirectory> directories;
  for (const auto& [key, hierarchy] : ManagedHierarchies(layout)) {
    ASSIGN_OR_RETURN(std::string path, ContainerCgroupDirectory(cgroups_path, container_id,
                                                                *hierarchy, placement));
    directories.push_back({.controllers = hierarchy->controllers,
                           .mount_point = hierarchy->mount_point,
                           .path = std::move(path)});
  }
  return ManagerFor(layout, std::move(directories), std::move(fs));
}

absl::StatusOr<std::unique_ptr<Manager>> RestoreManager(
    const Layout& layout, const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths) {
  return RestoreManager(layout, paths, created_paths, std::make_unique<LinuxCgroupFs>());
}

absl::StatusOr<std::unique_ptr<Manager>> RestoreManager(
    const Layout& layout, const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths, std::unique_ptr<CgroupFs> fs) {
  std::vector<CgroupDirectory> directories;
  std::map<std::string, std::string> unclaimed = paths;
  for (const auto& [key, hierarchy] : ManagedHierarchies(layout)) {
    auto path = paths.find(key);
    if (path == paths.end()) continue;  // the container was made without it
    CgroupDirectory directory{.controllers = hierarchy->controllers,
                              .mount_point = hierarchy->mount_point,
                              .path = CleanContainerPath(path->second)};
    if (directory.path != path->second ||
        !IsAtOrBelow(directory.path, directory.mount_point) ||
        directory.path == directory.mount_point) {
      return absl::InvalidArgumentError(absl::StrCat("cgroup path \"", path->second, "\" of \"",
                                                     key, "\" is not a cgroup below ",
                                                     directory.mount_point));
    }
    for (const std::string& controller : hierarchy->controllers) {
      auto same = paths.find(controller);
      if (same != paths.end() && same->second != path->second) {
        return absl::InvalidArgumentError(
            absl::StrCat("cgroup paths of \"", key, "\" and \"", controller,
                         "\" differ, but they share the hierarchy at ", directory.mount_point));
      }
      unclaimed.erase(controller);
    }
    unclaimed.erase(key);
    if (auto created = created_paths.find(key); created != created_paths.end()) {
      if (!IsAtOrBelow(directory.path, created->second) ||
          !IsAtOrBelow(created->second, directory.mount_point) ||
          created->second == directory.mount_point ||
          CleanContainerPath(created->second) != created->second) {
        return absl::InvalidArgumentError(
            absl::StrCat("created cgroup \"", created->second, "\" of \"", key,
                         "\" is not between ", directory.mount_point, " and ", directory.path));
      }
      directory.created = created->second;
    }
    directories.push_back(std::move(directory));
  }
  if (!unclaimed.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the container has a cgroup in the \"", unclaimed.begin()->first,
                     "\" hierarchy, which this host does not mount (any more) under ",
                     layout.root));
  }
  return ManagerFor(layout, std::move(directories), std::move(fs));
}

absl::StatusOr<std::unique_ptr<Manager>> ManagerFactory::RestoreSystemd(
    const std::string& unit, const std::map<std::string, std::string>&,
    const std::map<std::string, std::string>&) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the container's cgroup is systemd unit ", unit, ", and this runtime has no systemd driver"));
}

absl::StatusOr<Layout> HostManagerFactory::HostLayout(LayoutDetail detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!layout_.has_value() ||
      (detail == LayoutDetail::kFull && layout_detail_ != LayoutDetail::kFull)) {
    layout_ = DetectLayout(kCgroupRoot, detail);
    layout_detail_ = detail;
  }
  return *layout_;
}

absl::StatusOr<std::unique_ptr<Manager>> HostManagerFactory::New(const std::string& cgroups_path,
                                                                 absl::string_view container_id,
                                                                 const Annotations&) {
  // Only a relative cgroupsPath is placed by the mount roots (cgroup_path.h).
  const std::string& path =
      cgroups_path.empty() ? DefaultCgroupsPath(container_id, rootless_) : cgroups_path;
  const bool relative = !path.empty() && path.front() != '/';
  ASSIGN_OR_RETURN(const Layout layout,
                   HostLayout(relative ? LayoutDetail::kFull : LayoutDetail::kMountPoints));
  return NewManager(layout, cgroups_path, container_id, rootless_);
}

absl::StatusOr<std::unique_ptr<Manager>> HostManagerFactory::Restore(
    const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths) {
  ASSIGN_OR_RETURN(const Layout layout, HostLayout(LayoutDetail::kMountPoints));
  return RestoreManager(layout, paths, created_paths);
}

}  // namespace hull::cgroups
