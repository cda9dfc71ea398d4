// A bind mount's detached tree (open_tree(2) with OPEN_TREE_CLONE), set up
// whole before it is attached: its id mapping and its attributes. The init
// does this for its own binds (linux_mounter.h); for an id-mapped bind in a
// container with a user namespace of its own the launcher does it, still
// privileged over the source's superblock, and passes the tree to the init
// (PlanLauncherTrees in rootfs_plan.h). Closing a tree's fd before it is
// attached frees it: nothing is left behind.
#ifndef HULL_RUNTIME_ROOTFS_BIND_TREE_H_
#define HULL_RUNTIME_ROOTFS_BIND_TREE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::rootfs {

// mount_setattr(2) of the mount (tree) open as `fd`, with AT_EMPTY_PATH |
// `flags`.
absl::Status SetMountAttributes(int fd, unsigned int flags, uint64_t set, uint64_t clr,
                                uint64_t propagation = 0);

// Id-maps the detached `tree` of `mount` when it asks for it (through a user
// namespace made for its maps, or `container_user_namespace` for a mapping
// that takes the container's), then sets its per-mount and recursive
// attributes ("ro", "nosuid", "rro", ...). Propagation is set once the tree
// is attached.
absl::Status ConfigureBindTree(int tree, const PlannedMount& mount, int container_user_namespace);

// The launcher's side: a configured clone of each of `mounts` (from
// PlanLauncherTrees), in their order. `container_user_namespace` is the
// init's user namespace, its maps written. Fails on the first mount that
// fails, naming it; the trees made before it are closed.
absl::StatusOr<std::vector<UniqueFd>> PrepareLauncherTrees(absl::Span<const PlannedMount> mounts,
                                                           int container_user_namespace);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_BIND_TREE_H_
