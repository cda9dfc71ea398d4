#include "config/namespaces.h"

namespace hull::config {

bool HasNamespace(const Spec& spec, absl::string_view type) {
  for (const Namespace& ns : spec.linux().namespaces()) {
    if (ns.type() == type) return true;
  }
  return false;
}

bool CreatesNamespace(const Spec& spec, absl::string_view type) {
  for (const Namespace& ns : spec.linux().namespaces()) {
    if (ns.type() == type && ns.path().empty()) return true;
  }
  return false;
}

std::string JoinedNamespacePath(const Spec& spec, absl::string_view type) {
  for (const Namespace& ns : spec.linux().namespaces()) {
    if (ns.type() == type) return ns.path();
  }
  return "";
}

}  // namespace hull::config
