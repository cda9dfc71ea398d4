// The OCI state of a container, from what Hull persists.
#ifndef HULL_RUNTIME_OCI_STATE_H_
#define HULL_RUNTIME_OCI_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/oci_state.pb.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {

// The OCI runtime-spec version Hull implements.
inline constexpr char kOciVersion[] = "1.2.0";

OciState ToOciState(const statemachine::ContainerState& state);

// The host path of the container's root filesystem: `rootfs` as saved at
// create, or root.path, taken from the bundle when relative.
std::string RootfsPath(const statemachine::ContainerState& state);

// The JSON runc prints: every field but empty annotations, in runc's order;
// two-space indented (`state`) or on one line (`compact`, each of `list
// --format json`'s).
absl::StatusOr<std::string> OciStateToJson(const OciState& state, bool compact = false);

// What a hook reads on stdin, on one line as runc writes it: the container's
// id, bundle and annotations, with `status` and `pid` as the spec gives them
// to that hook (the pid as the hook's pid namespace sees the init; 0 when
// there is none, and then left out).
absl::StatusOr<std::string> HookStateJson(const statemachine::ContainerState& state,
                                          statemachine::State status, int pid);

// What the seccomp agent reads with the listener of the filter of process
// `process_pid`: the container's state as a hook's (status `status`, its
// init's `pid`), the fds ["seccompFd"] and linux.seccomp.listenerMetadata;
// on one line.
absl::StatusOr<std::string> SeccompAgentStateJson(const statemachine::ContainerState& state,
                                                  statemachine::State status, int pid,
                                                  int process_pid);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_OCI_STATE_H_
