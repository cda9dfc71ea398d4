// Whether a process runs in a user namespace other than the initial one
// (runc's userns.RunningInUserNS): there, even uid 0 lacks the privilege of
// the host's root (no mknod, no new sysfs without a network namespace of
// its own, no cgroups but delegated ones).
#ifndef HULL_NSENTER_USER_NAMESPACE_PROBE_H_
#define HULL_NSENTER_USER_NAMESPACE_PROBE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/procfs_files.h"

namespace hull::nsenter {

// Whether `uid_map` (a /proc/<pid>/uid_map's text) is the initial user
// namespace's: the one line "0 0 4294967295".
bool IsInitialUidMap(absl::string_view uid_map);

// Whether the calling process is in a user namespace other than the initial
// one, from `proc`'s self/uid_map (a kernel without user namespaces has
// none: false).
absl::StatusOr<bool> RunningInUserNamespace(ProcFiles& proc);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_USER_NAMESPACE_PROBE_H_
