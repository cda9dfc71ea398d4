// A container without a mount namespace of its own: none in its config (it
// shares the runtime's), or one joined by path (the spec: set up already).
// Nothing is mounted there and there is no pivot_root: the init chroots into
// the rootfs, and what would need a mount is refused.
#ifndef HULL_RUNTIME_ROOTFS_SHARED_MOUNT_NAMESPACE_H_
#define HULL_RUNTIME_ROOTFS_SHARED_MOUNT_NAMESPACE_H_

#include <string>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"

namespace hull::rootfs {

// Whether the config makes a new mount namespace for the container.
bool HasOwnMountNamespace(const config::Spec& spec);

// OK with a mount namespace of its own; otherwise InvalidArgument naming
// the first field that would need mounts in a namespace the container does
// not own: mounts, root.readonly, linux.rootfsPropagation, linux.devices,
// linux.maskedPaths, linux.readonlyPaths, linux.sysctl, process.terminal.
absl::Status CheckSharedMountNamespace(const config::Spec& spec);

// chroot(2) into `rootfs` (a path in the caller's mount namespace), then
// chdir("/").
absl::Status ChrootInto(const std::string& rootfs);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_SHARED_MOUNT_NAMESPACE_H_
