#include "runtime/features/seccomp_features.h"

#include <seccomp.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/seccomp_names.h"

namespace hull::runtime {

// The names come from the tables the validator checks linux.seccomp against
// and runtime/seccomp maps to libseccomp: what the config may use is what
// Hull applies. A known flag this build refuses is known, not supported.
SeccompFeatures SeccompFeaturesOfThisBuild() {
  SeccompFeatures seccomp;
  seccomp.set_enabled(true);
  for (absl::string_view action : config::SeccompActionNames()) {
    seccomp.add_actions(std::string(action));
  }
  for (const config::SeccompOperator& op : config::SeccompOperators()) {
    seccomp.add_operators(std::string(op.name));
  }
  for (absl::string_view architecture : config::SeccompArchitectureNames()) {
    seccomp.add_archs(std::string(architecture));
  }
  for (const config::SeccompFlag& flag : config::SeccompFlags()) {
    seccomp.add_known_flags(std::string(flag.name));
    if (flag.applied) seccomp.add_supported_flags(std::string(flag.name));
  }
  return seccomp;
}

std::string LibseccompVersion() {
  const scmp_version* version = seccomp_version();
  return absl::StrCat(version->major, ".", version->minor, ".", version->micro);
}

}  // namespace hull::runtime
