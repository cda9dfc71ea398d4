// What runc accepts in linux.resources with a warning rather than an error,
// because real tools generate it: memory.kernel (deprecated; Linux no longer
// enforces it, so it is ignored), a cpu quota without a period (taken in the
// cgroup's period: the kernel's default, 100 ms, unless one was set), and
// device access strings with letters other than r, w and m (ignored, as
// runc's permission sets drop them).
#ifndef HULL_CGROUPS_RESOURCE_WARNINGS_H_
#define HULL_CGROUPS_RESOURCE_WARNINGS_H_

#include <string>
#include <vector>

#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

// One warning per such setting of `resources`, naming its field.
std::vector<std::string> ResourceWarnings(const config::Resources& resources);

// Logs ResourceWarnings(resources) as glog warnings (the launcher's log).
void LogResourceWarnings(const config::Resources& resources);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_RESOURCE_WARNINGS_H_
