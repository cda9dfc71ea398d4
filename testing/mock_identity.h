// gmock stand-in for hull::user::Identity.
#ifndef HULL_TESTING_MOCK_IDENTITY_H_
#define HULL_TESTING_MOCK_IDENTITY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "runtime/user/identity.h"

namespace hull::testing {

class MockIdentity : public user::Identity {
 public:
  MOCK_METHOD(absl::StatusOr<bool>, SetgroupsAllowed, (), (override));
  MOCK_METHOD(absl::Status, SetGroups, (absl::Span<const uint32_t> gids), (override));
  MOCK_METHOD(absl::Status, SetGid, (uint32_t gid), (override));
  MOCK_METHOD(absl::Status, SetUid, (uint32_t uid), (override));
  MOCK_METHOD(absl::Status, SetKeepCapabilities, (bool keep), (override));
  MOCK_METHOD(absl::StatusOr<int>, ParentDeathSignal, (), (override));
  MOCK_METHOD(absl::Status, SetParentDeathSignal, (int signal), (override));
  MOCK_METHOD(absl::Status, GiveStdioTo, (uint32_t uid), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_IDENTITY_H_
