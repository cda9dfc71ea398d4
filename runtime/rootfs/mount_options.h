// The `options` of an OCI mount, sorted by how the kernel takes them. The
// option table is runc's (libcontainer/specconv): mount(2) flags, their
// negations, propagation, recursive attributes for mount_setattr(2), and
// anything else as filesystem data.
#ifndef HULL_RUNTIME_ROOTFS_MOUNT_OPTIONS_H_
#define HULL_RUNTIME_ROOTFS_MOUNT_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/repeated_field.h"

namespace hull::rootfs {

struct MountOptions {
  // MS_* flags the options set (MS_BIND, MS_REC, MS_RDONLY, MS_NOSUID, ...).
  unsigned long flags = 0;
  // MS_* flags the options turn off explicitly ("rw", "suid", "dev", ...):
  // a bind mount keeps its source's flags unless told otherwise.
  unsigned long cleared_flags = 0;
  // MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE, with MS_REC for the
  // r-variants, in the order given.
  std::vector<unsigned long> propagation;
  // MOUNT_ATTR_* applied to the whole mount tree ("rro", "rnosuid", ...).
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  bool tmpcopyup = false;
  // "idmap" or "ridmap".
  bool idmap = false;
  // "ridmap": the id mapping covers the submounts too.
  bool recursive_idmap = false;
  // Everything else, comma-joined, for the filesystem ("mode=755,size=64k").
  std::string data;
};

MountOptions ParseMountOptions(const google::protobuf::RepeatedPtrField<std::string>& options);

// Every option ParseMountOptions gives a meaning (anything else is
// filesystem data), sorted.
std::vector<std::string> KnownMountOptionNames();

// The propagation option named by `name` ("rprivate" -> MS_PRIVATE|MS_REC),
// or 0 when it is not one.
unsigned long PropagationFromName(const std::string& name);

// The option name of a propagation value, e.g. "rshared"; "" when unknown.
std::string PropagationName(unsigned long propagation);

// The mount_setattr(2) form of per-mount MS_* flags: what `set` turns on
// and `cleared` turns off among ro, nosuid, nodev, noexec, nosymfollow,
// nodiratime and the access-time mode. Superblock flags (sync, dirsync,
// mand, lazytime, ...) have no per-mount form and are left out.
struct MountAttributes {
  uint64_t set = 0;
  uint64_t clr = 0;
};
MountAttributes MountAttributesFromFlags(unsigned long set, unsigned long cleared);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_MOUNT_OPTIONS_H_
