#include "runtime/rootfs/path_restrictions.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::rootfs {
namespace {

absl::Status CheckAbsolute(absl::string_view field, int index, const std::string& path) {
  if (!path.empty() && path[0] == '/') return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("linux.", field, "[", index, "] \"", path, "\" is not an absolute path"));
}

}  // namespace

absl::Status ApplyPathRestrictions(const config::Spec& spec, Mounter& mounter) {
  const auto& readonly_paths = spec.linux().readonly_paths();
  const auto& masked_paths = spec.linux().masked_paths();
  for (int i = 0; i < readonly_paths.size(); ++i) {
    RETURN_IF_ERROR(CheckAbsolute("readonlyPaths", i, readonly_paths[i]));
  }
  for (int i = 0; i < masked_paths.size(); ++i) {
    RETURN_IF_ERROR(CheckAbsolute("maskedPaths", i, masked_paths[i]));
  }
  for (const std::string& path : readonly_paths) {
    RETURN_IF_ERROR(mounter.MakeReadOnly(CleanContainerPath(path)));
  }
  for (const std::string& path : masked_paths) {
    RETURN_IF_ERROR(mounter.MaskPath(CleanContainerPath(path)));
  }
  return absl::OkStatus();
}

}  // namespace hull::rootfs
