#include "runtime/rootless/rootless_cgroups.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace hull::rootless {
namespace {

// The fields of linux.resources that need a cgroup controller, as
// "linux.resources.memory"; device rules need none (runc's
// needAnyControllers).
std::vector<std::string> LimitsAskedFor(const config::Resources& resources) {
  config::Resources limits = resources;
  limits.clear_devices();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  limits.GetReflection()->ListFields(limits, &fields);
  std::vector<std::string> names;
  for (const google::protobuf::FieldDescriptor* field : fields) {
    names.push_back(absl::StrCat("linux.resources.", field->json_name()));
  }
  return names;
}

}  // namespace

bool UserMayUseCgroup(const std::string& directory) {
  struct stat st;
  if (stat(directory.c_str(), &st) == 0) {
    return access(absl::StrCat(directory, "/cgroup.procs").c_str(), W_OK) == 0;
  }
  std::string parent = directory;
  while (true) {
    const size_t slash = parent.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return false;
    parent.resize(slash);
    if (stat(parent.c_str(), &st) == 0) return access(parent.c_str(), W_OK | X_OK) == 0;
  }
}

absl::StatusOr<RootlessCgroups> DecideRootlessCgroups(
    const std::map<std::string, std::string>& paths, const config::Linux& linux,
    const CgroupAccess& may_use) {
  std::string denied;
  for (const auto& [controller, directory] : paths) {
    if (!may_use(directory)) {
      denied = directory;
      break;
    }
  }
  if (denied.empty()) return RootlessCgroups::kUse;
  const std::vector<std::string> limits = LimitsAskedFor(linux.resources());
  if (limits.empty() && linux.cgroups_path().empty()) return RootlessCgroups::kNone;
  const std::string needs =
      !limits.empty()
          ? absl::StrCat(absl::StrJoin(limits, ", "), " need", limits.size() == 1 ? "s" : "",
                         " a cgroup")
          : absl::StrCat("linux.cgroupsPath \"", linux.cgroups_path(), "\" names a cgroup");
  return absl::FailedPreconditionError(absl::StrCat(
      "rootless container: ", needs, ", and this user may not make or join ", denied,
      " (no delegated cgroup; delegate a cgroup v2 subtree to the user, chowned to it, and name "
      "it in linux.cgroupsPath, or drop the limits and the cgroupsPath)"));
}

}  // namespace hull::rootless
