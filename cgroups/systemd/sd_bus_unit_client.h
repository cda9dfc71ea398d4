// The UnitClient on systemd's system bus, through sd-bus. libsystemd.so.0 is
// loaded with dlopen on first use, only by the systemd cgroup driver: linked
// into `hull`, it (and the compression and crypto libraries it links) would
// be loaded by every `hull run`.
#ifndef HULL_CGROUPS_SYSTEMD_SD_BUS_UNIT_CLIENT_H_
#define HULL_CGROUPS_SYSTEMD_SD_BUS_UNIT_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cgroups/systemd/unit_client.h"

namespace hull::cgroups::systemd {

// How long a unit's start or stop job may take before the driver gives up.
inline constexpr absl::Duration kJobTimeout = absl::Seconds(30);

// Where a running systemd keeps its runtime state (sd_booted(3)'s test).
inline constexpr char kSystemdRuntimeDirectory[] = "/run/systemd/system";

// Connects to systemd's system bus. FailedPrecondition naming --systemd-cgroup
// when systemd is not running (no `systemd_runtime_directory`),
// libsystemd.so.0 cannot be loaded, or the bus cannot be reached.
absl::StatusOr<std::unique_ptr<UnitClient>> ConnectToSystemd(
    absl::Duration job_timeout = kJobTimeout,
    const std::string& systemd_runtime_directory = kSystemdRuntimeDirectory);

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_SD_BUS_UNIT_CLIENT_H_
