#include "runtime/system/sysctl.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "config/sysctl_name.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::system {

absl::StatusOr<std::string> SysctlPath(absl::string_view name) {
  ASSIGN_OR_RETURN(const std::string file, config::SysctlFile(name));
  return absl::StrCat("sys/", file);
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
