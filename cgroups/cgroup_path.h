// Where a container's cgroup is: linux.cgroupsPath resolved in one
// hierarchy (pure).
//
// - Absolute ("/a/b"): that cgroup, from the hierarchy's root as mounted:
//   <mount point>/a/b (as runc does).
// - Relative ("a/b"): below the cgroup the launcher itself is in, in that
//   hierarchy: <mount point>/<own cgroup>/a/b (runc: "relative to the cgroup
//   of the runtime process").
// - Empty: Hull's default, the absolute "/hull/<container id>" (runc would
//   use "<container id>" relative to its own cgroup; a fixed parent keeps
//   Hull's containers together and out of whatever cgroup the caller runs
//   in).
//
// ".." is resolved by text and may not climb above the starting cgroup, nor
// stop at it ("/", ".": the container needs a cgroup of its own). The
// systemd driver's "slice:prefix:name" form is for --systemd-cgroup
// (cgroups/systemd/unit_name.h).
#ifndef HULL_CGROUPS_CGROUP_PATH_H_
#define HULL_CGROUPS_CGROUP_PATH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/layout.h"

namespace hull::cgroups {

// The cgroupsPath used when the config has none.
std::string DefaultCgroupsPath(absl::string_view container_id);

// The directory of the container's cgroup in `hierarchy`. InvalidArgument
// for a path that climbs out with ".." or names the starting cgroup itself,
// a bad container id (empty, "." or
// "..", or with a '/') and for the systemd form,
// FailedPrecondition when a relative path is asked for and the launcher's
// own cgroup is outside the hierarchy's mounted root.
absl::StatusOr<std::string> ContainerCgroupDirectory(absl::string_view cgroups_path,
                                                     absl::string_view container_id,
                                                     const Hierarchy& hierarchy);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_CGROUP_PATH_H_
