// What the container's init does to its mount namespace, decided from the
// config alone: the ordered mounts with their kernel flags, the device
// nodes, the propagation of "/" and what ends read-only. Pure: no system
// calls, so every config is checked here before anything is mounted.
#ifndef HULL_RUNTIME_ROOTFS_ROOTFS_PLAN_H_
#define HULL_RUNTIME_ROOTFS_ROOTFS_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/id_map.h"
#include "runtime/rootfs/devices.h"

namespace hull::rootfs {

enum class MountKind {
  kBind,        // a bind mount of the host path `source`
  kFilesystem,  // a new filesystem of type `fstype`
  kCgroup,      // the container's view of the host's cgroups (see cgroup_mount.h)
};

// The mapping of an id-mapped bind (mount_setattr(2) MOUNT_ATTR_IDMAP): the
// maps of the user namespace made to carry it, taken as they are written
// (containerID is the id on disk, hostID the id the host sees; a container
// with a user namespace sees that host id through its own maps, as in runc).
struct IdMapping {
  nsenter::IdMaps maps;
  // "ridmap": the submounts of an "rbind" are id-mapped too.
  bool recursive = false;
  // "idmap" or "ridmap" without mappings in a container with a user
  // namespace of its own: that namespace carries the mapping (runtime-spec
  // 1.2), `maps` is empty.
  bool container_user_namespace = false;
};

struct PlannedMount {
  MountKind kind = MountKind::kFilesystem;
  std::string destination;  // absolute, clean, inside the container
  std::string source;       // kBind: an absolute host path
  std::string fstype;       // kFilesystem
  bool recursive = false;   // kBind: "rbind"
  // MS_* flags to set and to clear; never MS_BIND or MS_REC (see `kind`).
  unsigned long flags = 0;
  unsigned long cleared_flags = 0;
  std::string data;
  std::vector<unsigned long> propagation;
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  // A bind onto /proc itself: only a procfs may go there.
  bool source_must_be_procfs = false;
  // A tmpfs with "tmpcopyup": the image's content at the destination is
  // copied into it (copy_up.h).
  bool copy_up = false;
  // kCgroup: the container has a cgroup namespace of its own.
  bool cgroup_namespace = false;
  // kCgroup: the init is in a user namespace (its own or the launcher's),
  // where only a cgroup namespace of its own lets it mount a cgroup2.
  bool in_user_namespace = false;
  // kBind: "idmap", "ridmap" or mounts[].uidMappings and gidMappings.
  std::optional<IdMapping> id_mapping;
  // An id-mapped bind in a container with a user namespace of its own: the
  // init lacks CAP_SYS_ADMIN over the source's superblock, so the launcher
  // clones the tree, id-maps it and sets its attributes (launcher_trees.h);
  // the init attaches that tree and sets its propagation.
  bool tree_from_launcher = false;
};

struct RootfsPlan {
  // Applied to "/" before anything else: linux.rootfsPropagation, by
  // default MS_REC | MS_PRIVATE.
  unsigned long root_propagation = 0;
  // A shared, slave or unbindable rootfsPropagation is applied to the new
  // "/" again after pivot_root (which refuses a shared root); 0 otherwise.
  unsigned long propagation_after_pivot = 0;
  std::vector<PlannedMount> mounts;
  // /dev is not bind-mounted: create the device nodes, /dev/ptmx and the
  // /dev/fd, stdin, stdout, stderr (and core) links.
  bool setup_dev = false;
  std::vector<DeviceNode> devices;
  // /dev is mounted read-write so that the nodes can be made, then made
  // read-only when its mount asks for "ro" (runc does the same).
  bool dev_read_only = false;
  bool root_read_only = false;
};

// What the init's place, not its config, changes in the plan.
struct PlanHost {
  // The init runs in a user namespace other than the initial one (runc's
  // RunningInUserNS: hull run by root inside one, rootless podman's). The
  // init of a new user namespace is in one anyway.
  bool in_user_namespace = false;
};

// Makes each relative bind source absolute: the spec has it relative to the
// bundle (runc joins it with the bundle too). Other mounts are left alone.
void ResolveBindSources(config::Spec& spec, absl::string_view bundle);

// InvalidArgument for a config the kernel must not see (a relative bind
// source, a mount inside /proc, an unknown rootfsPropagation, "tmpcopyup"
// on anything but a tmpfs, an id mapping on anything but a bind, ...);
// Unimplemented for an id-mapped mount in a container that joins a user
// namespace.
//
// In a user namespace (a new one, or `host`'s) the init may not mknod: the
// device nodes are bound from the host. There, without a network namespace
// of its own, it may not mount a sysfs either (the kernel asks for
// CAP_SYS_ADMIN over the network namespace's owner): a read-only sysfs mount
// becomes what `runc spec --rootless` writes instead, /sys bound from the
// host ("rbind", "nosuid", "noexec", "nodev", "ro"), and a read-write one is
// FailedPrecondition, saying so.
absl::StatusOr<RootfsPlan> PlanRootfs(const config::Spec& spec, const PlanHost& host);
// The plan of an init in the initial user namespace.
absl::StatusOr<RootfsPlan> PlanRootfs(const config::Spec& spec);

// The mounts whose trees the launcher prepares (tree_from_launcher), in the
// order of the config's mounts, which is the order their fds pass to the
// init and the order the init attaches them; none when the container has
// no mount namespace of its own (its init mounts nothing).
absl::StatusOr<std::vector<PlannedMount>> PlanLauncherTrees(const config::Spec& spec);

// Whether the container joins a user namespace (by path) and has id-mapped
// binds: their trees then pass alone (the IdMappedTrees message), as that
// namespace has no maps for the launcher to write. False for a config the
// plan refuses (the init reports it where it plans its mounts).
bool JoinsUserNamespaceWithLauncherTrees(const config::Spec& spec);

// The mount options Hull honours, sorted: those of KnownMountOptionNames()
// that PlanRootfs does not refuse as unimplemented (what `hull features`
// lists).
std::vector<std::string> SupportedMountOptions();

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_ROOTFS_PLAN_H_
