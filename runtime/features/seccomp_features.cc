#include "runtime/features/seccomp_features.h"

namespace hull::runtime {

// Hull does not apply linux.seccomp yet, so it
// supports no action, operator or architecture. The seccomp package fills
// this in from libseccomp once it applies filters.
SeccompFeatures SeccompFeaturesOfThisBuild() {
  SeccompFeatures seccomp;
  seccomp.set_enabled(false);
  return seccomp;
}

}  // namespace hull::runtime
