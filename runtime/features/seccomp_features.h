// The seccomp section of `hull features`: the actions, operators,
// architectures and flags of linux.seccomp that Hull applies.
#ifndef HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
#define HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_

#include <string>

#include "runtime/features/features.pb.h"

namespace hull::runtime {

SeccompFeatures SeccompFeaturesOfThisBuild();

// The version of the libseccomp Hull runs with ("2.5.4"), for the
// io.github.seccomp.libseccomp.version annotation (runtime-spec features.md).
std::string LibseccompVersion();

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_FEATURES_SECCOMP_FEATURES_H_
