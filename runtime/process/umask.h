// process.user.umask: the file mode creation mask of the container's
// process.
#ifndef HULL_RUNTIME_PROCESS_UMASK_H_
#define HULL_RUNTIME_PROCESS_UMASK_H_

#include "config/runtime_spec.pb.h"

namespace hull::process {

// runc's default when the config has none.
inline constexpr unsigned kDefaultUmask = 0022;

// umask(2) with `user.umask`, or kDefaultUmask when unset. Cannot fail.
void SetUmask(const config::User& user);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_UMASK_H_
