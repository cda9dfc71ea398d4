// The few calls of systemd's D-Bus API the systemd cgroup driver makes: the
// seam between the driver (systemd_manager.h) and the bus
// (sd_bus_unit_client.h), which tests replace with a mock
// (testing/mock_unit_client.h).
#ifndef HULL_CGROUPS_SYSTEMD_UNIT_CLIENT_H_
#define HULL_CGROUPS_SYSTEMD_UNIT_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/systemd/unit_properties.h"

namespace hull::cgroups::systemd {

class UnitClient {
 public:
  virtual ~UnitClient() = default;

  // StartTransientUnit(name, "replace", properties), then waits for the
  // job's JobRemoved signal: an error unless its result is "done".
  virtual absl::Status StartTransientUnit(const std::string& name,
                                          const std::vector<UnitProperty>& properties) = 0;

  // SetUnitProperties(name, runtime=true, properties): they hold until the
  // unit stops (a transient unit has nothing to persist them to).
  virtual absl::Status SetUnitProperties(const std::string& name,
                                         const std::vector<UnitProperty>& properties) = 0;

  // StopUnit(name, "replace"), then waits for the job; OK when systemd has
  // no such unit (stopped already).
  virtual absl::Status StopUnit(const std::string& name) = 0;

  // The unit's ControlGroup property: its cgroup below the hierarchy's root
  // ("/system.slice/hull-web.scope").
  virtual absl::StatusOr<std::string> GetUnitCgroup(const std::string& name) = 0;

  // The manager's own ControlGroup: the root of the cgroups it makes ("/"
  // for the host's systemd, "/user.slice/user-1000.slice/user@1000.service"
  // for a user's).
  virtual absl::StatusOr<std::string> GetManagerCgroup() = 0;
};

// Opens a UnitClient on a bus to systemd: the driver connects only when it
// first needs systemd, so that commands that only read the cgroup's files
// (stats, pause, kill) need no bus.
using UnitClientConnector = std::function<absl::StatusOr<std::unique_ptr<UnitClient>>()>;

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_UNIT_CLIENT_H_
