// The seccomp section of `hull features`: the actions, operators,
// architectures and flags of linux.seccomp that Hull applies.
#ifndef HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
#define HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_

#include "runtime/features/features.pb.h"

namespace hull::runtime {

SeccompFeatures SeccompFeaturesOfThisBuild();

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
