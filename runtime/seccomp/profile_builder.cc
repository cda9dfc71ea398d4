#include "runtime/seccomp/profile_builder.h"

namespace hull::runtime::seccomp {

config::Syscall& AddRule(config::Seccomp& profile, const std::vector<std::string>& names,
                         absl::string_view action) {
  config::Syscall& rule = *profile.add_syscalls();
  for (const std::string& name : names) rule.add_names(name);
  rule.set_action(std::string(action));
  return rule;
}

config::SeccompArg& AddArg(config::Syscall& rule, uint32_t index, absl::string_view op,
                           uint64_t value, uint64_t value_two) {
  config::SeccompArg& arg = *rule.add_args();
  arg.set_index(index);
  arg.set_op(std::string(op));
  arg.set_value(value);
  arg.set_value_two(value_two);
  return arg;
}

}  // namespace hull::runtime::seccomp
