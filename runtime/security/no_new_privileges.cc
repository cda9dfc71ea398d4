#include "runtime/security/no_new_privileges.h"

#include <sys/prctl.h>

#include <cerrno>

#include "absl/status/status.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"

namespace hull::security {

absl::Status SetNoNewPrivileges(const config::Process& process) {
  if (!process.no_new_privileges()) return absl::OkStatus();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return ErrnoStatus("prctl(PR_SET_NO_NEW_PRIVS)");
  }
  return absl::OkStatus();
}

}  // namespace hull::security
