// The seccomp section of `hull features`: what the seccomp filter Hull
// applies supports (actions, operators, architectures, flags), or only
// `enabled: false` while Hull applies none.
#ifndef HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
#define HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_

#include "runtime/features/features.pb.h"

namespace hull::runtime {

SeccompFeatures SeccompFeaturesOfThisBuild();

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
