// linux.maskedPaths and linux.readonlyPaths, applied after pivot_root.
#ifndef HULL_RUNTIME_ROOTFS_PATH_RESTRICTIONS_H_
#define HULL_RUNTIME_ROOTFS_PATH_RESTRICTIONS_H_

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "runtime/rootfs/mounter.h"

namespace hull::rootfs {

// Makes each read-only path read-only (recursively), then hides each masked
// path (runc's order). Missing paths are skipped; anything under /proc whose
// directory is not procfs is refused (CVE-2019-16884), as is a path that is
// a symlink. A relative path is InvalidArgument.
absl::Status ApplyPathRestrictions(const config::Spec& spec, Mounter& mounter);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_PATH_RESTRICTIONS_H_
