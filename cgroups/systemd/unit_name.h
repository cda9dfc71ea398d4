// Where the systemd cgroup driver puts a container: linux.cgroupsPath as
// runc's "slice:prefix:name" to a transient scope unit in a slice, and the
// cgroup systemd gives that unit.
#ifndef HULL_CGROUPS_SYSTEMD_UNIT_NAME_H_
#define HULL_CGROUPS_SYSTEMD_UNIT_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::cgroups::systemd {

// runc's defaults, with Hull's name for the prefix: "" is
// "system.slice:hull:<id>", an empty slice is "system.slice"; in a user's
// systemd instance (rootless containers), "user.slice".
inline constexpr char kDefaultSlice[] = "system.slice";
inline constexpr char kDefaultUserSlice[] = "user.slice";
inline constexpr char kDefaultScopePrefix[] = "hull";

struct ContainerUnit {
  // The slice the scope lives in ("system.slice", "machine-libpod.slice").
  std::string slice;
  // The transient scope: "<prefix>-<name>.scope" ("<name>.scope" when the
  // prefix is empty), as runc names it.
  std::string scope;
};

// The unit of a container whose linux.cgroupsPath is `cgroups_path`:
// "slice:prefix:name", or "" for "<default_slice>:hull:<container_id>".
// InvalidArgument for any other form (a path: --systemd-cgroup takes no
// cgroupfs paths), a slice that is not a slice name, a part with a '/', an
// empty name, or a name ending in ".slice" (runc's container-as-a-slice,
// which Hull does not offer).
absl::StatusOr<ContainerUnit> ContainerUnitFor(absl::string_view cgroups_path,
                                               absl::string_view container_id,
                                               absl::string_view default_slice = kDefaultSlice);

// The cgroup systemd gives slice `slice`, relative to the hierarchy's root,
// nested as systemd names slices: "a-b-c.slice" is "/a.slice/a-b.slice/a-b-c.slice",
// "-.slice" (the root slice) is "/". InvalidArgument for a name that is not
// "<parts joined by '-'>.slice" with no empty part and no '/' (runc's
// ExpandSlice).
absl::StatusOr<std::string> ExpandSlice(absl::string_view slice);

// The container's cgroup relative to the hierarchy's root:
// ExpandSlice(slice) + "/" + scope.
absl::StatusOr<std::string> UnitCgroup(const ContainerUnit& unit);

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_UNIT_NAME_H_
