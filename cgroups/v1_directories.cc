#include "cgroups/v1_directories.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hull::cgroups {

const CgroupDirectory* FindController(const std::vector<CgroupDirectory>& directories,
                                      absl::string_view controller) {
  for (const CgroupDirectory& directory : directories) {
    if (std::find(directory.controllers.begin(), directory.controllers.end(), controller) !=
        directory.controllers.end()) {
      return &directory;
    }
  }
  return nullptr;
}

absl::StatusOr<std::string> RequireController(const std::vector<CgroupDirectory>& directories,
                                              absl::string_view controller,
                                              absl::string_view what) {
  const CgroupDirectory* directory = FindController(directories, controller);
  if (directory == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": the \"", controller,
                     "\" cgroup controller is not mounted on this host: not supported"));
  }
  return directory->path;
}

}  // namespace hull::cgroups
