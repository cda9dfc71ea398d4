#include "nsenter/user_namespace_probe.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"

namespace hull::nsenter {

bool IsInitialUidMap(absl::string_view uid_map) {
  const std::vector<absl::string_view> fields =
      absl::StrSplit(uid_map, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  return fields.size() == 3 && fields[0] == "0" && fields[1] == "0" && fields[2] == "4294967295";
}

absl::StatusOr<bool> RunningInUserNamespace(ProcFiles& proc) {
  absl::StatusOr<std::string> uid_map = proc.Read("self/uid_map");
  if (absl::IsNotFound(uid_map.status())) return false;
  if (!uid_map.ok()) return uid_map.status();
  return !IsInitialUidMap(*uid_map);
}

}  // namespace hull::nsenter
