// The rules of process: args, cwd, env, user, oomScoreAdj, capabilities,
// rlimits, scheduler, ioPriority, execCPUAffinity.

#include "config/validator_rules.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "config/cpu_list.h"
#include "config/kernel_names.h"
#include "config/process_kernel_names.h"
#include "config/validator_internal.h"
#include "google/protobuf/repeated_field.h"

namespace hull::config::validator_internal {

void CheckProcessBasics(const Spec& spec, Report& report) {
  if (!spec.has_process()) return;
  const Process& process = spec.process();
  if (process.args().empty()) report.Add("process.args", "required (at least the program)");
  report.CheckAbsolute(process.cwd(), "process.cwd");
  for (int i = 0; i < process.env_size(); ++i) {
    const absl::string_view entry = process.env(i);
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      report.Add(Index("process.env", i), absl::StrCat(Quote(entry), " is not NAME=value"));
    }
  }
  if (process.user().has_umask() && process.user().umask() > 0777) {
    report.Add("process.user.umask", absl::StrFormat("0%o is not a permission mask (at most 0777)",
                                                     process.user().umask()));
  }
  if (process.has_oom_score_adj() &&
      (process.oom_score_adj() < -1000 || process.oom_score_adj() > 1000)) {
    report.Add("process.oomScoreAdj",
               absl::StrCat(process.oom_score_adj(), " is outside [-1000, 1000]"));
  }
}

void CheckCapabilities(const Spec& spec, Report& report) {
  const Capabilities& caps = spec.process().capabilities();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*> sets[] = {
      {"bounding", &caps.bounding()},       {"effective", &caps.effective()},
      {"inheritable", &caps.inheritable()}, {"permitted", &caps.permitted()},
      {"ambient", &caps.ambient()},
  };
  for (const auto& [name, set] : sets) {
    for (int i = 0; i < set->size(); ++i) {
      if (!CapabilityNumber((*set)[i])) {
        report.Add(Index(Field("process.capabilities", name), i),
                   absl::StrCat("unknown capability ", Quote((*set)[i])));
      }
    }
  }
}

void CheckRlimits(const Spec& spec, Report& report) {
  absl::flat_hash_set<std::string> seen;
  const auto& rlimits = spec.process().rlimits();
  for (int i = 0; i < rlimits.size(); ++i) {
    const Rlimit& rlimit = rlimits[i];
    const std::string path = Index("process.rlimits", i);
    if (!RlimitResource(rlimit.type())) {
      report.Add(Field(path, "type"), absl::StrCat("unknown rlimit ", Quote(rlimit.type())));
    }
    if (!seen.insert(rlimit.type()).second) {
      report.Add(Field(path, "type"), absl::StrCat("duplicate rlimit ", Quote(rlimit.type())));
    }
    if (rlimit.soft() > rlimit.hard()) {
      report.Add(
          path, absl::StrCat("soft limit ", rlimit.soft(), " is above hard limit ", rlimit.hard()));
    }
  }
}

// sched_setattr(2) constraints, as runc checks them, and what the kernel
// would refuse.
void CheckScheduler(const Spec& spec, Report& report) {
  if (!spec.process().has_scheduler()) return;
  const Scheduler& scheduler = spec.process().scheduler();
  const std::string path = "process.scheduler";
  if (scheduler.policy().empty()) {
    report.Add(Field(path, "policy"), "required");
  } else if (scheduler.policy() == "SCHED_ISO") {
    report.Add(Field(path, "policy"), "SCHED_ISO is reserved by Linux, which does not implement it");
  } else if (!SchedulerPolicy(scheduler.policy())) {
    report.Add(Field(path, "policy"),
               absl::StrCat("unknown scheduling policy ", Quote(scheduler.policy())));
  }
  if (scheduler.nice() < -20 || scheduler.nice() > 19) {
    report.Add(Field(path, "nice"), absl::StrCat(scheduler.nice(), " is outside [-20, 19]"));
  }
  const bool real_time = scheduler.policy() == "SCHED_FIFO" || scheduler.policy() == "SCHED_RR";
  if (scheduler.priority() != 0 && !real_time) {
    report.Add(Field(path, "priority"), "only SCHED_FIFO and SCHED_RR take a priority");
  } else if (real_time && (scheduler.priority() < 1 || scheduler.priority() > 99)) {
    report.Add(Field(path, "priority"),
               absl::StrCat(scheduler.priority(), " is outside [1, 99] (", scheduler.policy(),
                            " needs a priority)"));
  }
  if (scheduler.policy() != "SCHED_DEADLINE" &&
      (scheduler.runtime() != 0 || scheduler.deadline() != 0 || scheduler.period() != 0)) {
    report.Add(path, "runtime, deadline and period are for SCHED_DEADLINE only");
  }
  for (int i = 0; i < scheduler.flags_size(); ++i) {
    if (!SchedulerFlag(scheduler.flags(i))) {
      report.Add(Index(Field(path, "flags"), i),
                 absl::StrCat("unknown scheduler flag ", Quote(scheduler.flags(i))));
    }
  }
}

void CheckIoPriority(const Spec& spec, Report& report) {
  if (!spec.process().has_io_priority()) return;
  const IoPriority& io_priority = spec.process().io_priority();
  if (!IoPriorityClass(io_priority.class_())) {
    report.Add("process.ioPriority.class",
               absl::StrCat("unknown I/O priority class ", Quote(io_priority.class_())));
  }
  if (io_priority.priority() < 0 || io_priority.priority() > 7) {
    report.Add("process.ioPriority.priority",
               absl::StrCat(io_priority.priority(), " is outside [0, 7]"));
  }
}

// runc 1.2's rule: lists of CPUs, applied to processes `exec` starts.
void CheckExecCpuAffinity(const Spec& spec, Report& report) {
  if (!spec.process().has_exec_cpu_affinity()) return;
  const ExecCpuAffinity& affinity = spec.process().exec_cpu_affinity();
  const std::pair<const char*, const std::string*> lists[] = {
      {"process.execCPUAffinity.initial", &affinity.initial()},
      {"process.execCPUAffinity.final", &affinity.final_cpus()},
  };
  for (const auto& [path, list] : lists) {
    if (list->empty()) continue;
    if (const absl::Status parsed = ParseCpuList(*list).status(); !parsed.ok()) {
      report.Add(path, std::string(parsed.message()));
    }
  }
}

}  // namespace hull::config::validator_internal
