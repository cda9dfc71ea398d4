// Which processes live in a given pid namespace, or in one nested below it:
// how a container's processes are told from others that share its cgroup.
#ifndef HULL_NSENTER_PID_NAMESPACE_MEMBERS_H_
#define HULL_NSENTER_PID_NAMESPACE_MEMBERS_H_

#include <sys/types.h>

#include <vector>

#include "absl/types/span.h"

namespace hull::nsenter {

// Those of `pids` whose pid namespace is the one open as `pid_namespace` or
// a descendant of it (NS_GET_PARENT up to it). A process gone meanwhile, or
// whose namespace cannot be read, is left out.
std::vector<pid_t> PidsInPidNamespace(absl::Span<const pid_t> pids, int pid_namespace);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_PID_NAMESPACE_MEMBERS_H_
