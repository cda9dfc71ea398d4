#include "runtime/rootfs/bind_tree.h"

#include <fcntl.h>
#include <sys/mount.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/clone.h"
#include "nsenter/mapping_user_namespace.h"
#include "runtime/rootfs/mount_options.h"

namespace hull::rootfs {
namespace {

// The user namespace that carries `mapping`: one made for its maps (its fd
// owned by `made`), or the container's.
absl::StatusOr<int> MappingUserNamespace(const IdMapping& mapping, int container_user_namespace,
                                         UniqueFd& made) {
  if (mapping.container_user_namespace) {
    if (container_user_namespace < 0) {
      return absl::InternalError(
          "the id mapping takes the container's user namespace, which is not open");
    }
    return container_user_namespace;
  }
  nsenter::LinuxProcessCloner cloner;
  absl::StatusOr<UniqueFd> user_namespace = nsenter::MakeMappingUserNamespace(cloner, mapping.maps);
  if (!user_namespace.ok()) {
    return Annotate(user_namespace.status(), "make the user namespace of the id mapping");
  }
  made = *std::move(user_namespace);
  return made.get();
}

// Id-maps the detached tree `tree` (only the top mount unless
// `mapping.recursive`); the mount keeps the namespace, a namespace made for
// it is closed again.
absl::Status SetIdMapping(int tree, const IdMapping& mapping, int container_user_namespace) {
  UniqueFd made;
  ASSIGN_OR_RETURN(const int user_namespace,
                   MappingUserNamespace(mapping, container_user_namespace, made));
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(user_namespace);
  if (mount_setattr(tree, "", AT_EMPTY_PATH | (mapping.recursive ? AT_RECURSIVE : 0), &attr,
                    sizeof(attr)) == 0) {
    return absl::OkStatus();
  }
  const int error = errno;
  const absl::Status status = ErrnoStatus("mount_setattr MOUNT_ATTR_IDMAP");
  if (error != EINVAL) return status;
  return absl::Status(status.code(),
                      absl::StrCat(status.message(),
                                   " (the source's filesystem does not support id-mapped mounts)"));
}

}  // namespace

absl::Status SetMountAttributes(int fd, unsigned int flags, uint64_t set, uint64_t clr,
                                uint64_t propagation) {
  struct mount_attr attr = {};
  attr.attr_set = set;
  attr.attr_clr = clr;
  attr.propagation = propagation;
  if (mount_setattr(fd, "", AT_EMPTY_PATH | flags, &attr, sizeof(attr)) != 0) {
    return ErrnoStatus("mount_setattr");
  }
  return absl::OkStatus();
}

absl::Status ConfigureBindTree(int tree, const PlannedMount& mount, int container_user_namespace) {
  if (mount.id_mapping.has_value()) {
    RETURN_IF_ERROR(SetIdMapping(tree, *mount.id_mapping, container_user_namespace));
  }
  const MountAttributes attributes = MountAttributesFromFlags(mount.flags, mount.cleared_flags);
  if (attributes.set != 0 || attributes.clr != 0) {
    RETURN_IF_ERROR(SetMountAttributes(tree, 0, attributes.set, attributes.clr));
  }
  if (mount.recursive_attr_set != 0 || mount.recursive_attr_clr != 0) {
    RETURN_IF_ERROR(
        SetMountAttributes(tree, AT_RECURSIVE, mount.recursive_attr_set, mount.recursive_attr_clr));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<UniqueFd>> PrepareLauncherTrees(absl::Span<const PlannedMount> mounts,
                                                           int container_user_namespace) {
  std::vector<UniqueFd> trees;
  for (const PlannedMount& mount : mounts) {
    const std::string context = absl::StrCat("prepare the id-mapped tree of \"", mount.source,
                                             "\" for \"", mount.destination, "\"");
    UniqueFd tree(
        open_tree(AT_FDCWD, mount.source.c_str(),
                  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (mount.recursive ? AT_RECURSIVE : 0)));
    if (!tree.valid()) return Annotate(ErrnoStatus("open_tree"), context);
    RETURN_IF_ERROR(
        Annotate(ConfigureBindTree(tree.get(), mount, container_user_namespace), context));
    trees.push_back(std::move(tree));
  }
  return trees;
}

}  // namespace hull::rootfs
