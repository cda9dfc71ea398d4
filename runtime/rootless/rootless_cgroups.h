// Whether a rootless container (runc's --rootless: hull run by an ordinary
// user, or by root inside a user namespace) gets cgroups, decided before
// anything is made. As runc's rootless cgroup managers: the container's
// cgroups are used when the user may make them (a delegated cgroup v2
// subtree, chowned to the user); when it may not, a container that names no
// cgroupsPath and asks for no limits runs without a cgroup of its own (runc
// ignores the permission error then, and only then: device rules alone
// count as no limits); any other is refused, naming what needs the cgroup.
#ifndef HULL_RUNTIME_ROOTLESS_ROOTLESS_CGROUPS_H_
#define HULL_RUNTIME_ROOTLESS_ROOTLESS_CGROUPS_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::rootless {

enum class RootlessCgroups {
  kUse,   // the user may make (or join) every cgroup of the container
  kNone,  // it may not, and the container needs none: it runs without
};

// Whether the calling user may make the cgroup directory `directory`, or
// join it when it exists.
using CgroupAccess = std::function<bool(const std::string& directory)>;

// The host's answer, by access(2) with the caller's ids: an existing
// directory's cgroup.procs must be writable, else the nearest existing
// ancestor must be writable and searchable (mkdir).
bool UserMayUseCgroup(const std::string& directory);

// `paths` are the container's cgroup directories (cgroups::Manager::Paths).
// FailedPrecondition, naming the directory and what needs it (the
// cgroupsPath, or the fields of linux.resources set), when the user may not
// use one and the container needs it.
absl::StatusOr<RootlessCgroups> DecideRootlessCgroups(
    const std::map<std::string, std::string>& paths, const config::Linux& linux,
    const CgroupAccess& may_use);

}  // namespace hull::rootless

#endif  // HULL_RUNTIME_ROOTLESS_ROOTLESS_CGROUPS_H_
