// The rules of process: args, cwd, env, user, oomScoreAdj, capabilities,
// rlimits, scheduler, ioPriority.

#include "config/validator_rules.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "config/kernel_names.h"
#include "config/validator_internal.h"
#include "google/protobuf/repeated_field.h"

namespace hull::config::validator_internal {
namespace {

const NameSet& KnownSchedulerPolicies() {
  static const auto* const kPolicies =
      new NameSet{"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",      "SCHED_BATCH",
                  "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
  return *kPolicies;
}

const NameSet& KnownSchedulerFlags() {
  static const auto* const kFlags =
      new NameSet{"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
                  "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
                  "SCHED_FLAG_UTIL_CLAMP_MAX"};
  return *kFlags;
}

const NameSet& KnownIoPriorityClasses() {
  static const auto* const kClasses =
      new NameSet{"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"};
  return *kClasses;
}

}  // namespace

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

// sched_setattr(2) constraints, as runc checks them.
void CheckScheduler(const Spec& spec, Report& report) {
  if (!spec.process().has_scheduler()) return;
  const Scheduler& scheduler = spec.process().scheduler();
  const std::string path = "process.scheduler";
  if (scheduler.policy().empty()) {
    report.Add(Field(path, "policy"), "required");
  } else {
    report.CheckKnown(KnownSchedulerPolicies(), scheduler.policy(), Field(path, "policy"),
                      "scheduling policy");
  }
  if (scheduler.nice() < -20 || scheduler.nice() > 19) {
    report.Add(Field(path, "nice"), absl::StrCat(scheduler.nice(), " is outside [-20, 19]"));
  }
  if (scheduler.priority() != 0 && scheduler.policy() != "SCHED_FIFO" &&
      scheduler.policy() != "SCHED_RR") {
    report.Add(Field(path, "priority"), "only SCHED_FIFO and SCHED_RR take a priority");
  }
  if (scheduler.policy() != "SCHED_DEADLINE" &&
      (scheduler.runtime() != 0 || scheduler.deadline() != 0 || scheduler.period() != 0)) {
    report.Add(path, "runtime, deadline and period are for SCHED_DEADLINE only");
  }
  for (int i = 0; i < scheduler.flags_size(); ++i) {
    report.CheckKnown(KnownSchedulerFlags(), scheduler.flags(i), Index(Field(path, "flags"), i),
                      "scheduler flag");
  }
}

void CheckIoPriority(const Spec& spec, Report& report) {
  if (!spec.process().has_io_priority()) return;
  const IoPriority& io_priority = spec.process().io_priority();
  report.CheckKnown(KnownIoPriorityClasses(), io_priority.class_(), "process.ioPriority.class",
                    "I/O priority class");
  if (io_priority.priority() < 0 || io_priority.priority() > 7) {
    report.Add("process.ioPriority.priority",
               absl::StrCat(io_priority.priority(), " is outside [0, 7]"));
  }
}

}  // namespace hull::config::validator_internal
