// The seccomp agent: the program at linux.seccomp.listenerPath that answers
// a filter's SCMP_ACT_NOTIFY calls. The launcher hands it each listener as
// runc does: it connects to the path (a unix stream socket) and sends, in
// one message, the process's state as JSON (runtime-spec's
// ContainerProcessState: fds ["seccompFd"], the process's pid, the metadata,
// the container's state) with the listener (SCM_RIGHTS).
#ifndef HULL_RUNTIME_SECCOMP_AGENT_H_
#define HULL_RUNTIME_SECCOMP_AGENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hull::runtime::seccomp {

// Sends `process_state_json` and `listener` to the agent at `listener_path`.
// Errors name the path.
absl::Status SendListenerToAgent(const std::string& listener_path,
                                 absl::string_view process_state_json, int listener);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_AGENT_H_
