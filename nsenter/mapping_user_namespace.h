// A user namespace made only to carry an id mapping, for an id-mapped mount
// (mount_setattr(2) MOUNT_ATTR_IDMAP takes the mapping as a user namespace
// fd). Nothing lives in it: a short-lived child creates it, its maps are
// written, and the child is killed and reaped before the fd is returned.
#ifndef HULL_NSENTER_MAPPING_USER_NAMESPACE_H_
#define HULL_NSENTER_MAPPING_USER_NAMESPACE_H_

#include "absl/status/statusor.h"
#include "base/fd.h"
#include "nsenter/clone.h"
#include "nsenter/id_map.h"

namespace hull::nsenter {

// An fd on a new user namespace whose uid_map and gid_map are `maps`, written
// through the procfs at /proc (the child is found there by its pidfd, so
// that procfs may belong to another pid namespace than the caller's, as the
// host's /proc does in a container's init before its pivot). The caller needs
// CAP_SETUID and CAP_SETGID over the ids the maps name. The child is gone
// when this returns, whatever the result.
absl::StatusOr<UniqueFd> MakeMappingUserNamespace(ProcessCloner& cloner, const IdMaps& maps);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_MAPPING_USER_NAMESPACE_H_
