// The container's directories on a host whose controllers are cgroup v1: one
// per hierarchy (plus the cgroup2 one of a hybrid host), and which of them
// holds a controller. What the v1 manager (v1.h), its resources
// (v1_resources.h) and its statistics (v1_stats.h) share.
#ifndef HULL_CGROUPS_V1_DIRECTORIES_H_
#define HULL_CGROUPS_V1_DIRECTORIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::cgroups {

// The container's directory in one hierarchy.
struct CgroupDirectory {
  // The hierarchy's controllers ("cpu", "cpuacct", "name=systemd"); empty
  // for the cgroup2 hierarchy of a hybrid host.
  std::vector<std::string> controllers;
  std::string mount_point;
  // The container's cgroup, at or below `mount_point`.
  std::string path;
  // The topmost directory Create made (it and every one below it down to
  // `path` are the container's); "" when `path` existed already.
  std::string created;
};

// The directory of the hierarchy that holds `controller`, or nullptr when
// none does (the controller is not mounted).
const CgroupDirectory* FindController(const std::vector<CgroupDirectory>& directories,
                                      absl::string_view controller);

// The path of the directory that holds `controller`; when none does,
// FailedPrecondition "<what>: the "<controller>" cgroup controller is not
// mounted on this host: not supported".
absl::StatusOr<std::string> RequireController(const std::vector<CgroupDirectory>& directories,
                                              absl::string_view controller, absl::string_view what);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_DIRECTORIES_H_
