// The validator's rules of linux.seccomp.

#include "config/validator.h"

#include <seccomp.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "config/validator_test_cases.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::ExpectEachCase;

Seccomp& AllowAllSeccomp(Spec& spec) {
  Seccomp& seccomp = *spec.mutable_linux()->mutable_seccomp();
  seccomp.set_default_action("SCMP_ACT_ALLOW");
  return seccomp;
}

Syscall& AddSyscallRule(Spec& spec, const std::string& name, const std::string& action) {
  Syscall& rule = *AllowAllSeccomp(spec).add_syscalls();
  rule.add_names(name);
  rule.set_action(action);
  return rule;
}

TEST(SeccompRulesTest, EachRuleReportsPathAndMessage) {
  ExpectEachCase({
      {"seccomp filter",
       false,
       [](Spec& s) {
         Seccomp& seccomp = *s.mutable_linux()->mutable_seccomp();
         seccomp.set_default_action("SCMP_ACT_NOTIFY");
         seccomp.add_architectures("SCMP_ARCH_Z80");
         seccomp.add_flags("SECCOMP_FILTER_FLAG_FAST");
         seccomp.set_listener_metadata("x");
       },
       {{"linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action"},
        {"linux.seccomp.architectures[0]", "unknown seccomp architecture \"SCMP_ARCH_Z80\""},
        {"linux.seccomp.flags[0]", "unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\""},
        {"linux.seccomp.listenerMetadata", "given without listenerPath"}}},
      {"seccomp default action and errno",
       false,
       [](Spec& s) {
         Seccomp& seccomp = *s.mutable_linux()->mutable_seccomp();
         seccomp.set_default_action("SCMP_ACT_DENY");
         seccomp.set_default_errno_ret(1);
         seccomp.set_listener_path("agent.sock");
       },
       {{"linux.seccomp.defaultAction", "unknown seccomp action \"SCMP_ACT_DENY\""},
        {"linux.seccomp.defaultErrnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
        {"linux.seccomp.listenerPath", "must be an absolute path, got \"agent.sock\""}}},
      {"seccomp rules",
       false,
       [](Spec& s) {
         AllowAllSeccomp(s).add_syscalls()->set_action("SCMP_ACT_ERRNO");
         Syscall& rule = AddSyscallRule(s, "", "SCMP_ACT_LOG");
         rule.set_errno_ret(1);
         SeccompArg& arg = *rule.add_args();
         arg.set_index(6);
         arg.set_op("SCMP_CMP_IN");
         AddSyscallRule(s, "write", "SCMP_ACT_NOTIFY");
         AddSyscallRule(s, "read", "SCMP_ACT_BLOCK");
       },
       {{"linux.seccomp.syscalls[0].names", "required (at least one syscall)"},
        {"linux.seccomp.syscalls[1].names[0]", "empty syscall name"},
        {"linux.seccomp.syscalls[1].errnoRet",
         "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
        {"linux.seccomp.syscalls[1].args[0].index", "6 is not a syscall argument (0 to 5)"},
        {"linux.seccomp.syscalls[1].args[0].op", "unknown seccomp operator \"SCMP_CMP_IN\""},
        {"linux.seccomp.syscalls[2].names[0]",
         "SCMP_ACT_NOTIFY cannot be used for write (the runtime needs it)"},
        {"linux.seccomp.syscalls[2].action", "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath"},
        {"linux.seccomp.syscalls[3].action", "unknown seccomp action \"SCMP_ACT_BLOCK\""}}},
      {"seccomp notify rules and flags",
       false,
       [](Spec& s) {
         Seccomp& seccomp = AllowAllSeccomp(s);
         seccomp.set_listener_path("/run/agent.sock");
         seccomp.add_flags("SECCOMP_FILTER_FLAG_LOG");
         Syscall& rule = AddSyscallRule(s, "mkdir", "SCMP_ACT_NOTIFY");
         rule.add_names("sendmsg");
         rule.add_names("mmap");
         rule.add_names("exit_group");
       },
       {{"linux.seccomp.syscalls[0].names[1]",
         "SCMP_ACT_NOTIFY cannot be used for sendmsg (the runtime needs it)"},
        {"linux.seccomp.syscalls[0].names[2]",
         "SCMP_ACT_NOTIFY cannot be used for mmap (the runtime needs it)"},
        {"linux.seccomp.syscalls[0].names[3]",
         "SCMP_ACT_NOTIFY cannot be used for exit_group (the runtime needs it)"}}},
  });
}

// Built with libseccomp 2.6 or later, the flag is honoured and this refusal
// does not exist.
#if SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6
TEST(SeccompRulesTest, WaitKillableRecvNeedsLibseccomp26) {
  ExpectEachCase({
      {"seccomp wait-killable flag",
       false,
       [](Spec& s) {
         AllowAllSeccomp(s).add_flags("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
       },
       {{"linux.seccomp.flags[0]",
         absl::StrCat("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs libseccomp 2.6 or later; "
                      "Hull is built with ",
                      SCMP_VER_MAJOR, ".", SCMP_VER_MINOR, ".", SCMP_VER_MICRO)}}},
  });
}
#endif

}  // namespace
}  // namespace hull::config
