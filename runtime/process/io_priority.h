// process.ioPriority: the process's I/O scheduling class and level
// (ioprio_set(2)), set by the init and by an exec'd process.
#ifndef HULL_RUNTIME_PROCESS_IO_PRIORITY_H_
#define HULL_RUNTIME_PROCESS_IO_PRIORITY_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::process {

// The ioprio value of `io_priority`: its class shifted above its level.
// InvalidArgument for an unknown class or a level outside [0, 7].
absl::StatusOr<int> IoPriorityValue(const config::IoPriority& io_priority);

// ioprio_set(IOPRIO_WHO_PROCESS) of the calling process.
class IoPriorityControl {
 public:
  virtual ~IoPriorityControl() = default;
  virtual absl::Status Set(int value) = 0;
};

class LinuxIoPriorityControl final : public IoPriorityControl {
 public:
  absl::Status Set(int value) override;
};

// Sets `process.io_priority` when the config has one; an error names the
// class and level.
absl::Status ApplyIoPriority(const config::Process& process, IoPriorityControl& control);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_IO_PRIORITY_H_
