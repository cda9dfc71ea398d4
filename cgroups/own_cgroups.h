// The calling process's cgroups as /proc/self/cgroup lists them: one line a
// hierarchy, "ID:controllers:path" ("0::path" for cgroup2).
#ifndef HULL_CGROUPS_OWN_CGROUPS_H_
#define HULL_CGROUPS_OWN_CGROUPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::cgroups {

struct OwnCgroup {
  // "cpu", "cpuacct", "name=systemd"; empty for cgroup2.
  std::vector<std::string> controllers;
  // Relative to the hierarchy's root (or to the cgroup namespace's).
  std::string path;
};

// InvalidArgument naming the line for one that is not "ID:controllers:/path".
absl::StatusOr<std::vector<OwnCgroup>> ParseOwnCgroups(absl::string_view text);

// Whether a cgroup v1 mount whose super options are `options` holds every
// one of `controllers` (as runc matches /proc/self/cgroup lines to mounts).
bool HoldsControllers(const std::vector<std::string>& options,
                      const std::vector<std::string>& controllers);

// The line of the hierarchy mounted with `super_options` (cgroup v1), or the
// cgroup2 line when `cgroup2`; null when there is none.
const OwnCgroup* FindOwnCgroup(const std::vector<OwnCgroup>& own, bool cgroup2,
                               const std::vector<std::string>& super_options);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_OWN_CGROUPS_H_
