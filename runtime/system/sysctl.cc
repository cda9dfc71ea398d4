#include "runtime/system/sysctl.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::system {

absl::StatusOr<std::string> SysctlPath(absl::string_view name) {
  const char separator = absl::StrContains(name, '/') ? '/' : '.';
  const std::vector<absl::string_view> components = absl::StrSplit(name, separator);
  for (absl::string_view component : components) {
    if (component.empty() || component == "." || component == "..") {
      return absl::InvalidArgumentError(absl::StrCat("invalid sysctl name \"", name, "\""));
    }
  }
  return absl::StrCat("sys/", absl::StrJoin(components, "/"));
}

absl::Status ApplySysctls(const config::Spec& spec, ProcFiles& proc) {
  std::vector<std::string> names;
  for (const auto& [name, value] : spec.linux().sysctl()) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string& value = spec.linux().sysctl().at(name);
    ASSIGN_OR_RETURN(const std::string path, SysctlPath(name));
    RETURN_IF_ERROR(
        Annotate(proc.Write(path, value), absl::StrCat("set sysctl ", name, "=\"", value, "\"")));
  }
  return absl::OkStatus();
}

}  // namespace hull::system
