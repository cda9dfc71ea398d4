// A gmock stand-in for the systemd driver's calls to systemd
// (cgroups/systemd/unit_client.h), so that the driver is tested without a
// bus or systemd.
#ifndef HULL_TESTING_MOCK_UNIT_CLIENT_H_
#define HULL_TESTING_MOCK_UNIT_CLIENT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/systemd/unit_client.h"
#include "cgroups/systemd/unit_properties.h"
#include "gmock/gmock.h"

namespace hull::testing {

class MockUnitClient : public cgroups::systemd::UnitClient {
 public:
  MOCK_METHOD(absl::Status, StartTransientUnit,
              (const std::string& name,
               const std::vector<cgroups::systemd::UnitProperty>& properties),
              (override));
  MOCK_METHOD(absl::Status, SetUnitProperties,
              (const std::string& name,
               const std::vector<cgroups::systemd::UnitProperty>& properties),
              (override));
  MOCK_METHOD(absl::Status, StopUnit, (const std::string& name), (override));
  MOCK_METHOD(absl::StatusOr<std::string>, GetUnitCgroup, (const std::string& name), (override));
  MOCK_METHOD(absl::StatusOr<std::string>, GetManagerCgroup, (), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_UNIT_CLIENT_H_
