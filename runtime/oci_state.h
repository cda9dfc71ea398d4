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

// The host path of the container's root filesystem: root.path, taken from
// the bundle when relative.
std::string RootfsPath(const statemachine::ContainerState& state);

// The JSON runc prints: every field but empty annotations, in runc's order;
// two-space indented (`state`) or on one line (`compact`, each of `list
// --format json`'s).
absl::StatusOr<std::string> OciStateToJson(const OciState& state, bool compact = false);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_OCI_STATE_H_
