// The validator's rules of process.

#include "config/validator.h"

#include "config/validator_test_cases.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::ExpectEachCase;

TEST(ProcessRulesTest, EachRuleReportsPathAndMessage) {
  ExpectEachCase({
      {"args required",
       false,
       [](Spec& s) { s.mutable_process()->clear_args(); },
       {{"process.args", "required (at least the program)"}}},
      {"cwd required",
       false,
       [](Spec& s) { s.mutable_process()->clear_cwd(); },
       {{"process.cwd", "required"}}},
      {"cwd absolute",
       false,
       [](Spec& s) { s.mutable_process()->set_cwd("tmp"); },
       {{"process.cwd", "must be an absolute path, got \"tmp\""}}},
      {"env is NAME=value",
       false,
       [](Spec& s) { s.mutable_process()->add_env("FOO"); },
       {{"process.env[2]", "\"FOO\" is not NAME=value"}}},
      {"umask at most 0777",
       false,
       [](Spec& s) { s.mutable_process()->mutable_user()->set_umask(01000); },
       {{"process.user.umask", "01000 is not a permission mask (at most 0777)"}}},
      {"oomScoreAdj range",
       false,
       [](Spec& s) { s.mutable_process()->set_oom_score_adj(1001); },
       {{"process.oomScoreAdj", "1001 is outside [-1000, 1000]"}}},
      {"capability known",
       false,
       [](Spec& s) {
         s.mutable_process()->mutable_capabilities()->add_inheritable("CAP_FOO");
         s.mutable_process()->mutable_capabilities()->set_ambient(1, "CAP_KILLL");
       },
       {{"process.capabilities.inheritable[0]", "unknown capability \"CAP_FOO\""},
        {"process.capabilities.ambient[1]", "unknown capability \"CAP_KILLL\""}}},
      {"rlimit type known",
       false,
       [](Spec& s) { s.mutable_process()->add_rlimits()->set_type("RLIMIT_FOO"); },
       {{"process.rlimits[1].type", "unknown rlimit \"RLIMIT_FOO\""}}},
      {"rlimit soft <= hard",
       false,
       [](Spec& s) { s.mutable_process()->mutable_rlimits(0)->set_soft(2048); },
       {{"process.rlimits[0]", "soft limit 2048 is above hard limit 1024"}}},
      {"rlimit type unique",
       false,
       [](Spec& s) { *s.mutable_process()->add_rlimits() = s.process().rlimits(0); },
       {{"process.rlimits[1].type", "duplicate rlimit \"RLIMIT_NOFILE\""}}},
      {"scheduler policy required",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler(); },
       {{"process.scheduler.policy", "required"}}},
      {"scheduler constraints",
       false,
       [](Spec& s) {
         Scheduler& scheduler = *s.mutable_process()->mutable_scheduler();
         scheduler.set_policy("SCHED_BATCH");
         scheduler.set_nice(20);
         scheduler.set_priority(3);
         scheduler.set_runtime(1000);
         scheduler.add_flags("SCHED_FLAG_FAST");
       },
       {{"process.scheduler.nice", "20 is outside [-20, 19]"},
        {"process.scheduler.priority", "only SCHED_FIFO and SCHED_RR take a priority"},
        {"process.scheduler", "runtime, deadline and period are for SCHED_DEADLINE only"},
        {"process.scheduler.flags[0]", "unknown scheduler flag \"SCHED_FLAG_FAST\""}}},
      {"scheduler policy known",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler()->set_policy("SCHED_FAST"); },
       {{"process.scheduler.policy", "unknown scheduling policy \"SCHED_FAST\""}}},
      {"ioPriority",
       false,
       [](Spec& s) {
         s.mutable_process()->mutable_io_priority()->set_class_("IOPRIO_CLASS_NONE");
         s.mutable_process()->mutable_io_priority()->set_priority(8);
       },
       {{"process.ioPriority.class", "unknown I/O priority class \"IOPRIO_CLASS_NONE\""},
        {"process.ioPriority.priority", "8 is outside [0, 7]"}}},
      {"SCHED_ISO is not implemented by Linux",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler()->set_policy("SCHED_ISO"); },
       {{"process.scheduler.policy",
         "SCHED_ISO is reserved by Linux, which does not implement it"}}},
      {"real-time policies need a priority",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler()->set_policy("SCHED_FIFO"); },
       {{"process.scheduler.priority", "0 is outside [1, 99] (SCHED_FIFO needs a priority)"}}},
      {"execCPUAffinity lists",
       false,
       [](Spec& s) {
         s.mutable_process()->mutable_exec_cpu_affinity()->set_initial("0-");
         s.mutable_process()->mutable_exec_cpu_affinity()->set_final_cpus("3-1");
       },
       {{"process.execCPUAffinity.initial", "\"0-\" is not a list such as \"0-3,5\""},
        {"process.execCPUAffinity.final", "\"3-1\" is not a list such as \"0-3,5\""}}},
  });
}

}  // namespace
}  // namespace hull::config
