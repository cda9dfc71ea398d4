#include "runtime/seccomp/load_filter.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::runtime::seccomp {

absl::StatusOr<UniqueFd> LoadFilter(const Filter& filter) {
  sock_fprog program{.len = static_cast<unsigned short>(filter.program.size()),
                     .filter = const_cast<sock_filter*>(filter.program.data())};
  const long loaded = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, filter.flags, &program);
  if (loaded < 0) {
    return ErrnoStatus("seccomp(SECCOMP_SET_MODE_FILTER, flags 0x", absl::Hex(filter.flags),
                       ") of ", filter.program.size(), " instructions");
  }
  return filter.new_listener() ? UniqueFd(static_cast<int>(loaded)) : UniqueFd();
}

}  // namespace hull::runtime::seccomp
