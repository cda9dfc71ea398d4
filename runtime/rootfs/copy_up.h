// tmpcopyup: what the image has at a tmpfs mount's destination is copied
// into the new tmpfs, as runc does (podman adds it to every tmpfs it asks
// for, `--read-only`'s /tmp, /var/tmp and /run among them).
#ifndef HULL_RUNTIME_ROOTFS_COPY_UP_H_
#define HULL_RUNTIME_ROOTFS_COPY_UP_H_

#include "absl/status/status.h"

namespace hull::rootfs {

// Copies everything below the directory `from` into the directory `to`
// (both fds; O_PATH will do): directories, regular files, symlinks (never
// followed: their targets are copied as text), fifos, sockets and device
// nodes, with their modes (setuid/setgid/sticky bits included), owners and
// modification times. `to`'s own owner becomes `from`'s, its mode stays
// (the tmpfs's mode= option). Hard links are copied as separate files,
// extended attributes are not copied. Nothing is resolved by path, so a
// symlink in the image can never lead a read or a write elsewhere.
absl::Status CopyDirectoryContents(int from, int to);

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_COPY_UP_H_
