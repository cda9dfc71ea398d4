// The kernel operations the container's init performs on its mount
// namespace, one method per operation. Container paths given with a
// `root` are resolved inside it (see root_directory.h) and never lead out
// of it. rootfs.h and path_restrictions.h sequence these calls; the Linux
// implementation is linux_mounter.h, the gmock one testing/mock_mounter.h.
#ifndef HULL_RUNTIME_ROOTFS_MOUNTER_H_
#define HULL_RUNTIME_ROOTFS_MOUNTER_H_

#include <string>

#include "absl/status/status.h"
#include "runtime/rootfs/devices.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::rootfs {

class Mounter {
 public:
  virtual ~Mounter() = default;

  // --- Host paths, before the switch into the rootfs ---

  // mount(2) of a propagation type (MS_PRIVATE, MS_SLAVE, MS_SHARED,
  // MS_UNBINDABLE, with MS_REC for the whole tree) on `path`.
  virtual absl::Status SetPropagation(const std::string& path, unsigned long propagation) = 0;
  // Makes the mount holding `path` private when it is shared: pivot_root
  // refuses a shared parent, and mounts must not propagate to the host.
  virtual absl::Status MakeParentMountPrivate(const std::string& path) = 0;
  // Binds `path` onto itself, recursively, so that the rootfs is a mount.
  virtual absl::Status BindOntoItself(const std::string& path) = 0;
  // Lazily unmounts `path` and everything mounted below it.
  virtual absl::Status Detach(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;

  // --- Container paths inside `root` ---

  // Makes `mount` at its destination, created when missing (a directory,
  // or an empty file for the bind of a file). NotFound for a missing bind
  // source. Nothing is left mounted when it fails.
  virtual absl::Status Mount(const std::string& root, const PlannedMount& mount) = 0;
  // mknod(2) of `device` (umask 0), or a bind of the host's node inside a
  // user namespace.
  virtual absl::Status CreateDevice(const std::string& root, const DeviceNode& device) = 0;
  // Creates the symlink `path` -> `target`, replacing a file already there.
  virtual absl::Status CreateSymlink(const std::string& root, const std::string& target,
                                     const std::string& path) = 0;
  // Makes the mount at `path` read-only, keeping its other flags (nosuid,
  // nodev, ...).
  virtual absl::Status RemountReadOnly(const std::string& root, const std::string& path) = 0;

  // --- The switch ---

  // pivot_root(2) into `rootfs` (a mount), detaching the old root.
  virtual absl::Status PivotRoot(const std::string& rootfs) = 0;
  // For roots pivot_root cannot leave (ramfs): MS_MOVE onto "/" and chroot.
  virtual absl::Status MoveRoot(const std::string& rootfs) = 0;

  // --- Container paths after the switch ("/" is the container's root) ---

  // Hides `path`: /dev/null bound over a file, an empty read-only tmpfs
  // over a directory. A missing path is fine.
  virtual absl::Status MaskPath(const std::string& path) = 0;
  // Binds `path` onto itself read-only, recursively. A missing path is
  // fine.
  virtual absl::Status MakeReadOnly(const std::string& path) = 0;
  // Binds the file open as `file` (a terminal's pty slave) over `path`, by
  // fd: an empty file is made there when nothing is; a symlink or a
  // directory there is refused, never followed.
  virtual absl::Status BindOpenFile(int file, const std::string& path) = 0;
};

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_MOUNTER_H_
