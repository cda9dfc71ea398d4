// Checks a parsed config against the OCI runtime-spec's MUST rules and the
// rules runc enforces, before anything touches the kernel.
#ifndef HULL_CONFIG_VALIDATOR_H_
#define HULL_CONFIG_VALIDATOR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "config/host_support.h"
#include "config/runtime_spec.pb.h"

namespace hull::config {

// One broken rule: where (a JSON path in the spec's names, such as
// `linux.namespaces[2].type` or `linux.sysctl["kernel.foo"]`) and what.
struct Violation {
  std::string path;
  std::string message;

  bool operator==(const Violation&) const = default;
};

// "path: message", the form used in ValidateSpec's status.
std::string ToString(const Violation& violation);

// Every violation in `spec`, in a stable order (the order of the rules, then
// of the config's elements; map keys sorted). Empty when `spec` is valid.
// Fields Hull cannot honour, on any host or on `host`, are violations too:
// nothing a config asks for is accepted and then ignored.
std::vector<Violation> FindViolations(const Spec& spec, const HostSupport& host);
// On the running host (DetectedHostSupport()).
std::vector<Violation> FindViolations(const Spec& spec);

// OK, or InvalidArgument listing every violation, one per line.
absl::Status ValidateSpec(const Spec& spec, const HostSupport& host);
// On the running host (DetectedHostSupport()).
absl::Status ValidateSpec(const Spec& spec);

}  // namespace hull::config

#endif  // HULL_CONFIG_VALIDATOR_H_
