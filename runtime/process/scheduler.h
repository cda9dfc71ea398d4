// process.scheduler: the process's scheduling policy and its parameters
// (sched_setattr(2)), set by the init and by an exec'd process as root,
// before they drop privileges.
#ifndef HULL_RUNTIME_PROCESS_SCHEDULER_H_
#define HULL_RUNTIME_PROCESS_SCHEDULER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::process {

// The fields of the kernel's struct sched_attr that the spec sets.
struct SchedulingAttributes {
  uint32_t policy = 0;
  uint64_t flags = 0;
  int32_t nice = 0;
  uint32_t priority = 0;
  // Nanoseconds, SCHED_DEADLINE only.
  uint64_t runtime = 0;
  uint64_t deadline = 0;
  uint64_t period = 0;

  bool operator==(const SchedulingAttributes&) const = default;
};

// The attributes `scheduler` names; InvalidArgument for a name the kernel
// does not know (the validator refuses those first).
absl::StatusOr<SchedulingAttributes> SchedulingAttributesOf(const config::Scheduler& scheduler);

// sched_setattr of the calling process.
class SchedulerControl {
 public:
  virtual ~SchedulerControl() = default;
  virtual absl::Status SetAttributes(const SchedulingAttributes& attributes) = 0;
};

class LinuxSchedulerControl final : public SchedulerControl {
 public:
  absl::Status SetAttributes(const SchedulingAttributes& attributes) override;
};

// Sets `process.scheduler` when the config has one; an error names the
// policy and says what EPERM needs.
absl::Status ApplyScheduler(const config::Process& process, SchedulerControl& control);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_SCHEDULER_H_
