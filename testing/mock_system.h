// gmock stand-ins for the interfaces of runtime/system: UtsNames,
// InterfaceFlags and Keyrings.
#ifndef HULL_TESTING_MOCK_SYSTEM_H_
#define HULL_TESTING_MOCK_SYSTEM_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "runtime/system/hostname.h"
#include "runtime/system/loopback.h"
#include "runtime/system/session_keyring.h"

namespace hull::testing {

class MockUtsNames : public system::UtsNames {
 public:
  MOCK_METHOD(absl::Status, SetHostname, (absl::string_view hostname), (override));
  MOCK_METHOD(absl::Status, SetDomainname, (absl::string_view domainname), (override));
};

class MockInterfaceFlags : public system::InterfaceFlags {
 public:
  MOCK_METHOD(absl::StatusOr<int>, Get, (absl::string_view interface), (override));
  MOCK_METHOD(absl::Status, Set, (absl::string_view interface, int flags), (override));
};

class MockKeyrings : public system::Keyrings {
 public:
  MOCK_METHOD(absl::StatusOr<int32_t>, JoinSessionKeyring, (absl::string_view name), (override));
  MOCK_METHOD(absl::StatusOr<std::string>, Describe, (int32_t key), (override));
  MOCK_METHOD(absl::Status, SetPermissions, (int32_t key, uint32_t permissions), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_SYSTEM_H_
