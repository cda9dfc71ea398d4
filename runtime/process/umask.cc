#include "runtime/process/umask.h"

#include <sys/stat.h>

#include "config/runtime_spec.pb.h"

namespace hull::process {

void SetUmask(const config::User& user) {
  umask(static_cast<mode_t>(user.has_umask() ? user.umask() & 0777 : kDefaultUmask));
}

}  // namespace hull::process
