// The container init's work on its mount namespace, in the order it runs:
//
//   MountRootfs(spec, rootfs, mounter);        // "/" private, the mounts, /dev
//   ... createRuntime hooks ...
//   PivotRoot(spec, rootfs, no_pivot, mounter);
//   ... createContainer hooks ...
//   FinishRootfs(spec, mounter);               // /dev and "/" read-only
//   ApplyPathRestrictions(spec, mounter);      // path_restrictions.h
//
// The init runs in a fresh mount namespace (CLONE_NEWNS), as root of a
// user namespace or of the host.
#ifndef HULL_RUNTIME_ROOTFS_ROOTFS_H_
#define HULL_RUNTIME_ROOTFS_ROOTFS_H_

#include <string>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "runtime/rootfs/mounter.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::rootfs {

// Makes "/" private recursively (or linux.rootfsPropagation), binds the
// rootfs onto itself, makes the config's mounts inside it in order and, when
// /dev is not a bind mount, creates the device nodes, /dev/ptmx -> pts/ptmx
// and the /dev/fd, stdin, stdout, stderr (and core) links. `rootfs` is the
// absolute host path of the root filesystem, without symlinks (the bundle's
// root.path resolved); bind sources must be absolute already. On failure the
// rootfs bind (and with it every mount made inside) is detached.
// `host`: the init's place (rootfs_plan.h; in a user namespace, devices are
// bound and a sysfs may become a bind of the host's /sys).
absl::Status MountRootfs(const config::Spec& spec, const std::string& rootfs, Mounter& mounter,
                         const PlanHost& host = {});

// Makes `rootfs` the root: pivot_root(2) with the old root detached, or, with
// `no_pivot` (a ramfs root), MS_MOVE onto "/" and chroot(2). Then applies a
// shared, slave or unbindable linux.rootfsPropagation to the new "/".
absl::Status PivotRoot(const config::Spec& spec, const std::string& rootfs, bool no_pivot,
                       Mounter& mounter);

// After the createContainer hooks: /dev read-only when its mount says "ro",
// and "/" read-only with root.readonly, each keeping its other flags.
absl::Status FinishRootfs(const config::Spec& spec, Mounter& mounter);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_ROOTFS_H_
