// Where a container's cgroup is: linux.cgroupsPath resolved in one
// hierarchy (pure).
//
// - Absolute ("/a/b"): that cgroup, from the hierarchy's root as mounted:
//   <mount point>/a/b (as runc does).
// - Relative ("a/b"): beside the launcher, as runc places it: on cgroup v1
//   below the cgroup the launcher itself is in (<mount point>/<own
//   cgroup>/a/b), on a v2 host below that cgroup's parent (<mount
//   point>/<parent of own cgroup>/a/b: the launcher's cgroup holds
//   processes, so cgroup v2 enables no controller below it).
// - Empty: Hull's default, the absolute "/hull/<container id>" (runc would
//   use "<container id>" relative, as above; a fixed parent keeps Hull's
//   containers together and out of whatever cgroup the caller runs in). A
//   rootless container's is runc's: "<container id>", relative, where its
//   user may have been delegated a cgroup, as no user may make /hull.
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

// How a new container's cgroupsPath is placed on this host.
struct Placement {
  // A relative path starts at the parent of the launcher's cgroup (v2).
  bool relative_to_parent = false;
  // The container is rootless: its default path is relative.
  bool rootless = false;
};

// The cgroupsPath used when the config has none.
std::string DefaultCgroupsPath(absl::string_view container_id, bool rootless = false);

// The directory of the container's cgroup in `hierarchy`. InvalidArgument
// for a path that climbs out with ".." or names the starting cgroup itself,
// a bad container id (empty, "." or
// "..", or with a '/') and for the systemd form,
// FailedPrecondition when a relative path is asked for and the launcher's
// own cgroup is outside the hierarchy's mounted root.
absl::StatusOr<std::string> ContainerCgroupDirectory(absl::string_view cgroups_path,
                                                     absl::string_view container_id,
                                                     const Hierarchy& hierarchy,
                                                     const Placement& placement = {});

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_CGROUP_PATH_H_
