// The rules of linux.seccomp: actions, architectures, flags, the listener and
// each syscall rule.

#include "config/validator_rules.h"

#include <seccomp.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/validator_internal.h"

namespace hull::config::validator_internal {
namespace {

const NameSet& KnownSeccompActions() {
  static const auto* const kActions =
      new NameSet{"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                  "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
                  "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY"};
  return *kActions;
}

const NameSet& KnownSeccompOperators() {
  static const auto* const kOperators =
      new NameSet{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
                  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};
  return *kOperators;
}

const NameSet& KnownSeccompArchitectures() {
  static const auto* const kArchitectures = new NameSet{
      "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
      "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
      "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
      "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"};
  return *kArchitectures;
}

const NameSet& KnownSeccompFlags() {
  static const auto* const kFlags =
      new NameSet{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                  "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  return *kFlags;
}

// What the init (or an exec'd process) calls once the filter is loaded and
// before its listener reaches the launcher: the allocator may map memory for
// the message, which goes with sendmsg; a failure closes the listener, is
// written and exits. Notified, any of them would wait for an agent that
// cannot have the listener yet. (Later calls, execve among them, reach the
// agent: the launcher hands it the listener as soon as it has it.)
const NameSet& SyscallsBeforeListenerHandOff() {
  static const auto* const kSyscalls = new NameSet{
      "write", "sendmsg", "brk", "mmap", "munmap", "close", "exit", "exit_group"};
  return *kSyscalls;
}

// Needs SCMP_FLTATR_CTL_WAITKILL (libseccomp 2.6).
constexpr bool kLibseccompHasWaitKillableRecv =
    SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6);

bool TakesErrno(absl::string_view action) {
  return action == "SCMP_ACT_ERRNO" || action == "SCMP_ACT_TRACE";
}

void CheckSeccompRule(const Syscall& rule, const std::string& path, Report& report) {
  if (rule.names().empty()) report.Add(Field(path, "names"), "required (at least one syscall)");
  for (int j = 0; j < rule.names_size(); ++j) {
    if (rule.names(j).empty()) report.Add(Index(Field(path, "names"), j), "empty syscall name");
    if (rule.action() == "SCMP_ACT_NOTIFY" &&
        SyscallsBeforeListenerHandOff().contains(rule.names(j))) {
      report.Add(Index(Field(path, "names"), j),
                 absl::StrCat("SCMP_ACT_NOTIFY cannot be used for ", rule.names(j),
                              " (the runtime needs it)"));
    }
  }
  report.CheckKnown(KnownSeccompActions(), rule.action(), Field(path, "action"), "seccomp action");
  if (rule.has_errno_ret() && !TakesErrno(rule.action())) {
    report.Add(Field(path, "errnoRet"), "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
  }
  for (int j = 0; j < rule.args_size(); ++j) {
    const SeccompArg& arg = rule.args(j);
    const std::string arg_path = Index(Field(path, "args"), j);
    if (arg.index() >= 6) {
      report.Add(Field(arg_path, "index"),
                 absl::StrCat(arg.index(), " is not a syscall argument (0 to 5)"));
    }
    report.CheckKnown(KnownSeccompOperators(), arg.op(), Field(arg_path, "op"), "seccomp operator");
  }
}

}  // namespace

void CheckSeccomp(const Spec& spec, Report& report) {
  if (!spec.linux().has_seccomp()) return;
  const Seccomp& seccomp = spec.linux().seccomp();
  const std::string path = "linux.seccomp";
  report.CheckKnown(KnownSeccompActions(), seccomp.default_action(), Field(path, "defaultAction"),
                    "seccomp action");
  if (seccomp.default_action() == "SCMP_ACT_NOTIFY") {
    report.Add(Field(path, "defaultAction"), "SCMP_ACT_NOTIFY cannot be the default action");
  }
  if (seccomp.has_default_errno_ret() && !TakesErrno(seccomp.default_action())) {
    report.Add(Field(path, "defaultErrnoRet"),
               "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
  }
  for (int i = 0; i < seccomp.architectures_size(); ++i) {
    report.CheckKnown(KnownSeccompArchitectures(), seccomp.architectures(i),
                      Index(Field(path, "architectures"), i), "seccomp architecture");
  }
  for (int i = 0; i < seccomp.flags_size(); ++i) {
    report.CheckKnown(KnownSeccompFlags(), seccomp.flags(i), Index(Field(path, "flags"), i),
                      "seccomp flag");
    if (seccomp.flags(i) == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" &&
        !kLibseccompHasWaitKillableRecv) {
      report.Add(Index(Field(path, "flags"), i),
                 absl::StrCat("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs libseccomp 2.6 or "
                              "later; Hull is built with ",
                              SCMP_VER_MAJOR, ".", SCMP_VER_MINOR, ".", SCMP_VER_MICRO));
    }
  }
  if (!seccomp.listener_metadata().empty() && seccomp.listener_path().empty()) {
    report.Add(Field(path, "listenerMetadata"), "given without listenerPath");
  }
  if (!seccomp.listener_path().empty() && !IsAbsolute(seccomp.listener_path())) {
    report.Add(Field(path, "listenerPath"),
               absl::StrCat("must be an absolute path, got ", Quote(seccomp.listener_path())));
  }
  for (int i = 0; i < seccomp.syscalls_size(); ++i) {
    const std::string rule_path = Index(Field(path, "syscalls"), i);
    CheckSeccompRule(seccomp.syscalls(i), rule_path, report);
    // The launcher hands the filter's listener to the agent listening there.
    if (seccomp.syscalls(i).action() == "SCMP_ACT_NOTIFY" && seccomp.listener_path().empty()) {
      report.Add(Field(rule_path, "action"), "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
    }
  }
}

}  // namespace hull::config::validator_internal
