// gmock stand-in for hull::process::ResourceLimits.
#ifndef HULL_TESTING_MOCK_RESOURCE_LIMITS_H_
#define HULL_TESTING_MOCK_RESOURCE_LIMITS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "runtime/process/rlimits.h"

namespace hull::testing {

class MockResourceLimits : public process::ResourceLimits {
 public:
  MOCK_METHOD(absl::StatusOr<process::Limit>, Get, (int resource), (override));
  MOCK_METHOD(absl::Status, Set, (int resource, const process::Limit& limit), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_RESOURCE_LIMITS_H_
