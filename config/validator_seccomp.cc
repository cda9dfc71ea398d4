// The rules of linux.seccomp: actions, architectures, flags, the listener and
// each syscall rule.

#include "config/validator_rules.h"

#include <seccomp.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/seccomp_names.h"
#include "config/validator_internal.h"

namespace hull::config::validator_internal {
namespace {

const NameSet& KnownSeccompActions() {
  static const auto* const kActions =
      new NameSet(SeccompActionNames().begin(), SeccompActionNames().end());
  return *kActions;
}

const NameSet& KnownSeccompOperators() {
  static const auto* const kOperators = [] {
    auto* operators = new NameSet;
    for (const SeccompOperator& op : SeccompOperators()) operators->insert(op.name);
    return operators;
  }();
  return *kOperators;
}

const NameSet& KnownSeccompArchitectures() {
  static const auto* const kArchitectures =
      new NameSet(SeccompArchitectureNames().begin(), SeccompArchitectureNames().end());
  return *kArchitectures;
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
    const SeccompFlag* flag = FindSeccompFlag(seccomp.flags(i));
    if (flag == nullptr) {
      report.Add(Index(Field(path, "flags"), i),
                 absl::StrCat("unknown seccomp flag ", Quote(seccomp.flags(i))));
    } else if (!flag->applied) {
      // The one flag this can be: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV.
      report.Add(Index(Field(path, "flags"), i),
                 absl::StrCat(flag->name, " needs libseccomp 2.6 or later; Hull is built with ",
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
