// Loads a compiled seccomp filter (filter.h) into the calling process with
// seccomp(2): no libseccomp in the init, one system call.
#ifndef HULL_RUNTIME_SECCOMP_LOAD_FILTER_H_
#define HULL_RUNTIME_SECCOMP_LOAD_FILTER_H_

#include "absl/status/statusor.h"
#include "base/fd.h"
#include "runtime/seccomp/filter.h"

namespace hull::runtime::seccomp {

// Loads `filter` for the calling thread and what it execs. Without
// no_new_privs the caller needs CAP_SYS_ADMIN (in its user namespace).
// Returns the filter's listener when filter.new_listener(), else an invalid
// fd.
absl::StatusOr<UniqueFd> LoadFilter(const Filter& filter);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_LOAD_FILTER_H_
