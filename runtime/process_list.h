// Which host processes belong to a container (until cgroups say so).
#ifndef HULL_RUNTIME_PROCESS_LIST_H_
#define HULL_RUNTIME_PROCESS_LIST_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hull::runtime {

// The processes of the container whose init is `init_pid`, the init first:
// every process in the init's pid namespace when `own_pid_namespace`, else
// the init and its descendants. Reads `proc` (the host's /proc).
absl::StatusOr<std::vector<pid_t>> ContainerProcesses(pid_t init_pid, bool own_pid_namespace,
                                                      const std::string& proc = "/proc");

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_PROCESS_LIST_H_
