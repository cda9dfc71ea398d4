// process.noNewPrivileges: once set, no execve can grant privileges (setuid
// and setgid bits, file capabilities are ignored), and seccomp filters can
// be loaded without CAP_SYS_ADMIN.
#ifndef HULL_RUNTIME_SECURITY_NO_NEW_PRIVILEGES_H_
#define HULL_RUNTIME_SECURITY_NO_NEW_PRIVILEGES_H_

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"

namespace hull::security {

// prctl(PR_SET_NO_NEW_PRIVS) when `process.no_new_privileges`; nothing
// otherwise (the flag cannot be unset).
absl::Status SetNoNewPrivileges(const config::Process& process);

}  // namespace hull::security

#endif  // HULL_RUNTIME_SECURITY_NO_NEW_PRIVILEGES_H_
