// gmock stand-in for hull::security::CapabilityControl.
#ifndef HULL_TESTING_MOCK_CAPABILITY_CONTROL_H_
#define HULL_TESTING_MOCK_CAPABILITY_CONTROL_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "runtime/security/capabilities.h"

namespace hull::testing {

class MockCapabilityControl : public security::CapabilityControl {
 public:
  MOCK_METHOD(absl::StatusOr<bool>, InBoundingSet, (int capability), (override));
  MOCK_METHOD(absl::Status, DropFromBoundingSet, (int capability), (override));
  MOCK_METHOD(absl::Status, SetProcessSets,
              (uint64_t effective, uint64_t permitted, uint64_t inheritable), (override));
  MOCK_METHOD(absl::Status, ClearAmbient, (), (override));
  MOCK_METHOD(absl::Status, RaiseAmbient, (int capability), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_CAPABILITY_CONTROL_H_
