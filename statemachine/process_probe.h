// Asks the kernel whether a container's recorded process is still the one
// Hull started.
#ifndef HULL_STATEMACHINE_PROCESS_PROBE_H_
#define HULL_STATEMACHINE_PROCESS_PROBE_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {

class ProcessProbe {
 public:
  virtual ~ProcessProbe() = default;

  // True when `pid` is a live process (not a zombie) that started at
  // `start_time` (field 22 of /proc/<pid>/stat); false when it is gone or its
  // pid now belongs to another process.
  virtual absl::StatusOr<bool> IsAlive(pid_t pid, uint64_t start_time) = 0;
};

// Whether a container's processes are frozen, as its cgroup freezer says;
// the cgroups module answers, so that a frozen container reads as paused.
class FreezeProbe {
 public:
  virtual ~FreezeProbe() = default;
  virtual absl::StatusOr<bool> IsFrozen(const ContainerState& state) = 0;
};

class LinuxProcessProbe final : public ProcessProbe {
 public:
  absl::StatusOr<bool> IsAlive(pid_t pid, uint64_t start_time) override;
};

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_PROCESS_PROBE_H_
