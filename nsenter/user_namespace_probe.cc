#include "nsenter/user_namespace_probe.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/fields.h"

namespace hull::nsenter {

bool IsInitialUidMap(absl::string_view uid_map) {
  const std::vector<absl::string_view> fields = SplitFields(uid_map);
  return fields.size() == 3 && fields[0] == "0" && fields[1] == "0" && fields[2] == "4294967295";
}

absl::StatusOr<bool> RunningInUserNamespace(ProcFiles& proc) {
  absl::StatusOr<std::string> uid_map = proc.Read("self/uid_map");
  if (absl::IsNotFound(uid_map.status())) return false;
  if (!uid_map.ok()) return uid_map.status();
  return !IsInitialUidMap(*uid_map);
}

}  // namespace hull::nsenter
