// Building linux.seccomp profiles in tests.
#ifndef HULL_RUNTIME_SECCOMP_PROFILE_BUILDER_H_
#define HULL_RUNTIME_SECCOMP_PROFILE_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::runtime::seccomp {

// A rule of `profile` for `names` with `action`.
config::Syscall& AddRule(config::Seccomp& profile, const std::vector<std::string>& names,
                         absl::string_view action);

// A condition of `rule` on argument `index`.
config::SeccompArg& AddArg(config::Syscall& rule, uint32_t index, absl::string_view op,
                           uint64_t value, uint64_t value_two = 0);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_PROFILE_BUILDER_H_
