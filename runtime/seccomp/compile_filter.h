// Compiles linux.seccomp into the BPF program a container's processes load,
// with libseccomp, as runc builds it: the default action, the native
// architecture and the listed ones, a rule per syscall name libseccomp knows
// (unknown names are skipped, as runc does: the kernel may be older than the
// profile), conditions on arguments, the flags; then runc's -ENOSYS stub
// before it (enosys_stub.h) for the filter's architectures, the native one
// included. The launcher compiles once per create or exec, before the clone,
// so that the process it clones loads a ready program.
#ifndef HULL_RUNTIME_SECCOMP_COMPILE_FILTER_H_
#define HULL_RUNTIME_SECCOMP_COMPILE_FILTER_H_

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "runtime/seccomp/filter.h"

namespace hull::runtime::seccomp {

// `profile` is validated (config/validator.h). Errors name the field.
absl::StatusOr<Filter> CompileFilter(const config::Seccomp& profile);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_COMPILE_FILTER_H_
