// The names linux.seccomp may use, one table each: the validator accepts
// exactly these, runtime/seccomp maps them to libseccomp's and the kernel's
// values, and `hull features` lists them.
#ifndef HULL_CONFIG_SECCOMP_NAMES_H_
#define HULL_CONFIG_SECCOMP_NAMES_H_

#include <seccomp.h>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hull::config {

// SCMP_ACT_* (SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD, as in runc).
absl::Span<const absl::string_view> SeccompActionNames();

struct SeccompOperator {
  absl::string_view name;  // "SCMP_CMP_EQ"
  scmp_compare value;
};
absl::Span<const SeccompOperator> SeccompOperators();

// SCMP_ARCH_*: the architectures libseccomp resolves by name.
absl::Span<const absl::string_view> SeccompArchitectureNames();

struct SeccompFlag {
  absl::string_view name;  // "SECCOMP_FILTER_FLAG_LOG"
  // The SECCOMP_FILTER_FLAG_* bit; 0 for SECCOMP_FILTER_FLAG_TSYNC: the
  // process that loads the filter has one thread.
  unsigned int bit;
  // Whether this build applies it; a known flag it does not apply is
  // refused by the validator.
  bool applied;
};
absl::Span<const SeccompFlag> SeccompFlags();

// The flag named `name`; nullptr for an unknown one.
const SeccompFlag* FindSeccompFlag(absl::string_view name);

}  // namespace hull::config

#endif  // HULL_CONFIG_SECCOMP_NAMES_H_
