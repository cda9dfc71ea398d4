#include "runtime/seccomp/profile.h"

#include <array>
#include <cerrno>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "config/seccomp_names.h"

namespace hull::runtime::seccomp {
namespace {

absl::Status Unknown(absl::string_view what, absl::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat("unknown seccomp ", what, " \"", name, "\""));
}

bool LetsCallsThrough(absl::string_view action) {
  return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG" || action == "SCMP_ACT_TRACE";
}

}  // namespace

absl::StatusOr<uint32_t> ActionFor(absl::string_view action, std::optional<uint32_t> errno_ret) {
  const uint32_t errno_or_eperm = errno_ret.value_or(EPERM);
  if (action == "SCMP_ACT_KILL" || action == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (action == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (action == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (action == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_or_eperm);
  if (action == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(errno_or_eperm);
  if (action == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (action == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (action == "SCMP_ACT_NOTIFY") return SCMP_ACT_NOTIFY;
  return Unknown("action", action);
}

absl::StatusOr<uint32_t> DefaultActionOf(const config::Seccomp& profile) {
  return ActionFor(profile.default_action(),
                   profile.has_default_errno_ret()
                       ? std::optional<uint32_t>(profile.default_errno_ret())
                       : std::nullopt);
}

absl::StatusOr<uint32_t> RuleActionOf(const config::Syscall& rule) {
  return ActionFor(rule.action(), rule.has_errno_ret()
                                      ? std::optional<uint32_t>(rule.errno_ret())
                                      : std::nullopt);
}

absl::StatusOr<scmp_compare> OperatorFor(absl::string_view op) {
  for (const config::SeccompOperator& known : config::SeccompOperators()) {
    if (known.name == op) return known.value;
  }
  return Unknown("operator", op);
}

absl::StatusOr<uint32_t> ArchitectureFor(absl::string_view architecture) {
  // libseccomp names them without the prefix, in lower case: "x86_64".
  constexpr absl::string_view kPrefix = "SCMP_ARCH_";
  if (absl::StartsWith(architecture, kPrefix)) {
    const std::string name = absl::AsciiStrToLower(architecture.substr(kPrefix.size()));
    const uint32_t token = seccomp_arch_resolve_name(name.c_str());
    if (token != 0) return token;
  }
  return Unknown("architecture", architecture);
}

absl::StatusOr<unsigned int> FilterFlagFor(absl::string_view flag) {
  const config::SeccompFlag* known = config::FindSeccompFlag(flag);
  if (known == nullptr) return Unknown("flag", flag);
  return known->bit;
}

bool UsesNotify(const config::Seccomp& profile) {
  for (const config::Syscall& rule : profile.syscalls()) {
    if (rule.action() == "SCMP_ACT_NOTIFY") return true;
  }
  return false;
}

bool GetsEnosysStub(const config::Seccomp& profile) {
  if (LetsCallsThrough(profile.default_action())) return false;
  return !(profile.default_action() == "SCMP_ACT_ERRNO" && profile.has_default_errno_ret() &&
           profile.default_errno_ret() == ENOSYS);
}

absl::StatusOr<std::vector<std::vector<scmp_arg_cmp>>> RuleConditions(
    const config::Syscall& rule) {
  std::vector<scmp_arg_cmp> conditions;
  std::array<int, 6> per_argument{};
  bool shared_argument = false;
  for (const config::SeccompArg& arg : rule.args()) {
    ASSIGN_OR_RETURN(const scmp_compare op, OperatorFor(arg.op()));
    if (arg.index() >= per_argument.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("seccomp argument index ", arg.index(), " is not 0 to 5"));
    }
    shared_argument |= ++per_argument[arg.index()] > 1;
    conditions.push_back(scmp_arg_cmp{.arg = arg.index(),
                                      .op = op,
                                      .datum_a = arg.value(),
                                      .datum_b = arg.value_two()});
  }
  if (!shared_argument) return std::vector<std::vector<scmp_arg_cmp>>{std::move(conditions)};
  std::vector<std::vector<scmp_arg_cmp>> rules;
  for (const scmp_arg_cmp& condition : conditions) rules.push_back({condition});
  return rules;
}

}  // namespace hull::runtime::seccomp
