#include "runtime/rootfs/shared_mount_namespace.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/namespaces.h"

namespace hull::rootfs {

bool HasOwnMountNamespace(const config::Spec& spec) {
  return config::CreatesNamespace(spec, "mount");
}

absl::Status CheckSharedMountNamespace(const config::Spec& spec) {
  if (HasOwnMountNamespace(spec)) return absl::OkStatus();
  const config::Linux& linux = spec.linux();
  const struct {
    bool asked;
    const char* field;
  } needs_mounts[] = {
      {spec.mounts_size() > 0, "mounts"},
      {spec.root().readonly(), "root.readonly"},
      {!linux.rootfs_propagation().empty(), "linux.rootfsPropagation"},
      {linux.devices_size() > 0, "linux.devices"},
      {linux.masked_paths_size() > 0, "linux.maskedPaths"},
      {linux.readonly_paths_size() > 0, "linux.readonlyPaths"},
      {linux.sysctl_size() > 0, "linux.sysctl"},
      {spec.process().terminal(), "process.terminal"},
  };
  for (const auto& [asked, field] : needs_mounts) {
    if (asked) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " needs a mount namespace of the container's own (linux.namespaces has none, "
                 "or joins one by path): Hull never mounts in a mount namespace it did not make"));
    }
  }
  return absl::OkStatus();
}

absl::Status ChrootInto(const std::string& rootfs) {
  if (chroot(rootfs.c_str()) != 0) return ErrnoStatus("chroot \"", rootfs, "\"");
  if (chdir("/") != 0) return ErrnoStatus("chdir \"/\" in \"", rootfs, "\"");
  return absl::OkStatus();
}

}  // namespace hull::rootfs
