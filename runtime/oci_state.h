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

// Pretty JSON (two-space indent) with every field present, as runc prints it.
absl::StatusOr<std::string> OciStateToJson(const OciState& state);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_OCI_STATE_H_
