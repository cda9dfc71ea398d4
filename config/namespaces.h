// Questions about a config's linux.namespaces.
#ifndef HULL_CONFIG_NAMESPACES_H_
#define HULL_CONFIG_NAMESPACES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::config {

// Whether the config lists a namespace of `type` ("user", "network", ...),
// new or joined by path.
bool HasNamespace(const Spec& spec, absl::string_view type);

// Whether the config makes a new namespace of `type` (listed without a path).
bool CreatesNamespace(const Spec& spec, absl::string_view type);

// The path of the namespace of `type` the config joins; "" when it joins
// none of that type.
std::string JoinedNamespacePath(const Spec& spec, absl::string_view type);

}  // namespace hull::config

#endif  // HULL_CONFIG_NAMESPACES_H_
