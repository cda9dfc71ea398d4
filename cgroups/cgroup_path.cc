#include "cgroups/cgroup_path.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/container_path.h"

namespace hull::cgroups {
namespace {

// `path` cleaned by text, relative, without leading "/" ("" for the starting
// cgroup itself); InvalidArgument when ".." would climb above the start.
absl::StatusOr<std::string> CleanBelow(absl::string_view path, absl::string_view cgroups_path) {
  std::optional<std::string> clean = CleanRelativePath(path);
  if (!clean.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroupsPath \"", cgroups_path, "\" climbs out of its starting cgroup with \"..\""));
  }
  return *std::move(clean);
}

// The systemd cgroup driver's "slice:prefix:name" ("system.slice:docker:id").
bool IsSystemdForm(absl::string_view path) {
  return !absl::StrContains(path, '/') && std::count(path.begin(), path.end(), ':') == 2;
}

std::string Join(absl::string_view directory, absl::string_view relative) {
  if (relative.empty()) return std::string(directory);
  return CleanContainerPath(absl::StrCat(directory, "/", relative));
}

}  // namespace

std::string DefaultCgroupsPath(absl::string_view container_id, bool rootless) {
  if (rootless) return std::string(container_id);
  return absl::StrCat("/hull/", container_id);
}

absl::StatusOr<std::string> ContainerCgroupDirectory(absl::string_view cgroups_path,
                                                     absl::string_view container_id,
                                                     const Hierarchy& hierarchy,
                                                     const Placement& placement) {
  if (container_id.empty() || container_id == "." || container_id == ".." ||
      absl::StrContains(container_id, '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("container id \"", container_id, "\" cannot name a cgroup"));
  }
  std::string path = cgroups_path.empty() ? DefaultCgroupsPath(container_id, placement.rootless)
                                          : std::string(cgroups_path);
  if (IsSystemdForm(path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroupsPath \"", path,
        "\" has the systemd driver's \"slice:prefix:name\" form: run with --systemd-cgroup, or "
        "give a path"));
  }
  absl::StatusOr<std::string> below = CleanBelow(path, path);
  if (!below.ok()) return below.status();
  // Limits written there would bind the whole hierarchy, or the launcher.
  if (below->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroupsPath \"", path, "\" names ",
        absl::StartsWith(path, "/")      ? "the hierarchy's root cgroup"
        : placement.relative_to_parent ? "the parent of the launcher's cgroup"
                                       : "the launcher's own cgroup",
        ", not a cgroup of the container's own"));
  }
  if (absl::StartsWith(path, "/")) return Join(hierarchy.mount_point, *below);

  if (hierarchy.mount_root.empty() || hierarchy.own_cgroup.empty()) {
    return absl::InternalError(absl::StrCat(
        "a relative cgroupsPath needs the cgroup mounted at \"", hierarchy.mount_point,
        "\", and the layout was detected without /proc/self/mountinfo and /proc/self/cgroup"));
  }
  if (!IsAtOrBelow(hierarchy.own_cgroup, hierarchy.mount_root)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the launcher's cgroup \"", hierarchy.own_cgroup, "\" is outside the root \"",
        hierarchy.mount_root, "\" mounted at \"", hierarchy.mount_point,
        "\": a relative cgroupsPath cannot be placed"));
  }
  absl::string_view own_below_root =
      absl::string_view(hierarchy.own_cgroup)
          .substr(hierarchy.mount_root == "/" ? 0 : hierarchy.mount_root.size());
  if (placement.relative_to_parent) {
    // Never above the mounted root: there is nothing to place it in.
    const size_t slash = own_below_root.find_last_of('/');
    own_below_root = own_below_root.substr(0, slash == absl::string_view::npos ? 0 : slash);
  }
  return Join(Join(hierarchy.mount_point, own_below_root), *below);
}

}  // namespace hull::cgroups
