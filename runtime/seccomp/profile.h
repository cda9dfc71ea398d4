// linux.seccomp in libseccomp's and the kernel's terms, as runc reads it:
// the actions, operators, architectures and flags, and the rules a
// syscall entry makes. Pure: nothing here builds or loads a filter.
#ifndef HULL_RUNTIME_SECCOMP_PROFILE_H_
#define HULL_RUNTIME_SECCOMP_PROFILE_H_

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::runtime::seccomp {

// SCMP_ACT_* for an OCI action. SCMP_ACT_ERRNO and SCMP_ACT_TRACE return
// `errno_ret`, EPERM when it is not given (runc's default); SCMP_ACT_KILL is
// SCMP_ACT_KILL_THREAD. InvalidArgument naming an unknown action.
absl::StatusOr<uint32_t> ActionFor(absl::string_view action, std::optional<uint32_t> errno_ret);

// The default action (defaultAction with defaultErrnoRet).
absl::StatusOr<uint32_t> DefaultActionOf(const config::Seccomp& profile);
// A rule's action (action with errnoRet).
absl::StatusOr<uint32_t> RuleActionOf(const config::Syscall& rule);

// SCMP_CMP_* for an OCI operator; InvalidArgument naming an unknown one.
absl::StatusOr<scmp_compare> OperatorFor(absl::string_view op);

// libseccomp's token (SCMP_ARCH_*) for an OCI architecture; InvalidArgument
// naming an unknown one.
absl::StatusOr<uint32_t> ArchitectureFor(absl::string_view architecture);

// The SECCOMP_FILTER_FLAG_* bit of an OCI flag. SECCOMP_FILTER_FLAG_TSYNC is
// 0: the process that loads the filter has one thread. InvalidArgument
// naming an unknown flag.
absl::StatusOr<unsigned int> FilterFlagFor(absl::string_view flag);

// Whether a rule notifies (SCMP_ACT_NOTIFY): loading the filter then returns
// a listener for the seccomp agent.
bool UsesNotify(const config::Seccomp& profile);

// Whether the filter gets the -ENOSYS stub (enosys_stub.h): as runc, unless
// the default action lets calls through (SCMP_ACT_ALLOW, SCMP_ACT_LOG, and
// SCMP_ACT_TRACE, whose tracer handles new calls itself) or is ENOSYS already.
bool GetsEnosysStub(const config::Seccomp& profile);

// The conditions of the libseccomp rules one syscall of `rule` makes: one
// rule with every condition (all must hold), or, as runc does when two
// conditions compare the same argument (libseccomp cannot AND those), one
// rule per condition (any may hold). One empty list for a rule without args.
absl::StatusOr<std::vector<std::vector<scmp_arg_cmp>>> RuleConditions(
    const config::Syscall& rule);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_PROFILE_H_
