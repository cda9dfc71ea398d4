// The device nodes a container's /dev gets: runc's defaults (null, zero,
// full, random, urandom, tty) and the config's linux.devices.
#ifndef HULL_RUNTIME_ROOTFS_DEVICES_H_
#define HULL_RUNTIME_ROOTFS_DEVICES_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::rootfs {

struct DeviceNode {
  std::string path;  // absolute, clean, inside the container
  // S_IFCHR, S_IFBLK or S_IFIFO.
  mode_t type = 0;
  int64_t major = 0;
  int64_t minor = 0;
  mode_t permissions = 0666;
  uid_t uid = 0;
  gid_t gid = 0;
  // Inside a user namespace mknod(2) fails: bind-mount the host's node at
  // the same path onto an empty file instead (runc does the same).
  bool bind_from_host = false;

  friend bool operator==(const DeviceNode&, const DeviceNode&) = default;
};

// The default devices, then the config's; a config device replaces a
// default one at the same path. Bad entries (unknown type, missing numbers,
// relative path) are InvalidArgument naming the device. In a user namespace
// (the config's, or `in_user_namespace`: the init runs in one already) the
// devices are bound from the host: mknod needs CAP_MKNOD in the initial one.
absl::StatusOr<std::vector<DeviceNode>> PlanDevices(const config::Spec& spec,
                                                    bool in_user_namespace = false);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_DEVICES_H_
