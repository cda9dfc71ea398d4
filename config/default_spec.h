// The configuration `hull spec` writes: runc's `runc spec` default.
#ifndef HULL_CONFIG_DEFAULT_SPEC_H_
#define HULL_CONFIG_DEFAULT_SPEC_H_

#include "config/runtime_spec.pb.h"

namespace hull::config {

// What `runc spec` (runc 1.1.5) writes, with hostname "hull" and ociVersion
// "1.2.0". With `rootless`, what `runc spec --rootless` writes: a user
// namespace mapping root to the calling user's effective uid and gid, no
// network namespace, /sys bind-mounted, no cgroup device rules.
Spec DefaultSpec(bool rootless);

}  // namespace hull::config

#endif  // HULL_CONFIG_DEFAULT_SPEC_H_
