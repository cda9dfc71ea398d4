#include "cgroups/manager.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/container_path.h"

namespace hull::cgroups {

absl::StatusOr<std::string> CgroupBelow(const std::string& directory, const std::string& relative) {
  if (relative.empty()) return directory;
  const std::string path = CleanContainerPath(absl::StrCat(directory, "/", relative));
  if (relative.front() == '/' || !IsAtOrBelow(path, directory)) {
    return absl::InvalidArgumentError(
        absl::StrCat("sub-cgroup \"", relative, "\" is not a path below the container's cgroup"));
  }
  return path;
}

}  // namespace hull::cgroups
