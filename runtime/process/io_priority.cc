#include "runtime/process/io_priority.h"

#include <linux/ioprio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/process_kernel_names.h"

namespace hull::process {

absl::StatusOr<int> IoPriorityValue(const config::IoPriority& io_priority) {
  const absl::optional<int> io_class = config::IoPriorityClass(io_priority.class_());
  if (!io_class) {
    return absl::InvalidArgumentError(
        absl::StrCat("process.ioPriority.class: unknown class \"", io_priority.class_(), "\""));
  }
  if (io_priority.priority() < 0 || io_priority.priority() >= IOPRIO_NR_LEVELS) {
    return absl::InvalidArgumentError(absl::StrCat(
        "process.ioPriority.priority: ", io_priority.priority(), " is outside [0, 7]"));
  }
  return static_cast<int>(IOPRIO_PRIO_VALUE(*io_class, io_priority.priority()));
}

absl::Status LinuxIoPriorityControl::Set(int value) {
  if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) != 0) {
    return ErrnoStatus("ioprio_set(0x", absl::Hex(value), ")");
  }
  return absl::OkStatus();
}

absl::Status ApplyIoPriority(const config::Process& process, IoPriorityControl& control) {
  if (!process.has_io_priority()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const int value, IoPriorityValue(process.io_priority()));
  return Annotate(control.Set(value),
                  absl::StrCat("process.ioPriority ", process.io_priority().class_(), " level ",
                               process.io_priority().priority()));
}

}  // namespace hull::process
