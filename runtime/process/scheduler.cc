#include "runtime/process/scheduler.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/process_kernel_names.h"

namespace hull::process {
namespace {

// The kernel's struct sched_attr as of its first version (48 bytes), which
// every kernel with sched_setattr takes. <linux/sched/types.h> has it, but
// clashes with glibc's struct sched_param.
struct KernelSchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};
static_assert(sizeof(KernelSchedAttr) == 48);

}  // namespace

absl::StatusOr<SchedulingAttributes> SchedulingAttributesOf(const config::Scheduler& scheduler) {
  const absl::optional<uint32_t> policy = config::SchedulerPolicy(scheduler.policy());
  if (!policy) {
    return absl::InvalidArgumentError(
        absl::StrCat("process.scheduler.policy: unknown policy \"", scheduler.policy(), "\""));
  }
  SchedulingAttributes attributes{
      .policy = *policy,
      .nice = scheduler.nice(),
      .priority = static_cast<uint32_t>(scheduler.priority()),
      .runtime = scheduler.runtime(),
      .deadline = scheduler.deadline(),
      .period = scheduler.period(),
  };
  for (const std::string& name : scheduler.flags()) {
    const absl::optional<uint64_t> flag = config::SchedulerFlag(name);
    if (!flag) {
      return absl::InvalidArgumentError(
          absl::StrCat("process.scheduler.flags: unknown flag \"", name, "\""));
    }
    attributes.flags |= *flag;
  }
  return attributes;
}

absl::Status LinuxSchedulerControl::SetAttributes(const SchedulingAttributes& attributes) {
  KernelSchedAttr attr = {};
  attr.size = sizeof(attr);
  attr.sched_policy = attributes.policy;
  attr.sched_flags = attributes.flags;
  attr.sched_nice = attributes.nice;
  attr.sched_priority = attributes.priority;
  attr.sched_runtime = attributes.runtime;
  attr.sched_deadline = attributes.deadline;
  attr.sched_period = attributes.period;
  if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return ErrnoStatus("sched_setattr");
  return absl::OkStatus();
}

absl::Status ApplyScheduler(const config::Process& process, SchedulerControl& control) {
  if (!process.has_scheduler()) return absl::OkStatus();
  const config::Scheduler& scheduler = process.scheduler();
  ASSIGN_OR_RETURN(const SchedulingAttributes attributes, SchedulingAttributesOf(scheduler));
  const absl::Status set = control.SetAttributes(attributes);
  if (set.ok()) return set;
  std::string what = absl::StrCat(set.message(), " (process.scheduler: ", scheduler.policy(),
                                  ", nice ", scheduler.nice(), ", priority ", scheduler.priority());
  if (absl::IsPermissionDenied(set)) {
    absl::StrAppend(&what, "; a real-time or deadline policy or a negative nice needs "
                           "CAP_SYS_NICE, and a real-time policy in a v1 cpu cgroup needs "
                           "linux.resources.cpu.realtimeRuntime");
  }
  return absl::Status(set.code(), absl::StrCat(what, ")"));
}

}  // namespace hull::process
