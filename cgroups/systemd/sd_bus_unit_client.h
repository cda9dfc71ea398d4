// The UnitClient on systemd's system bus (or a user's bus, to the user's own
// systemd instance), through sd-bus. libsystemd.so.0 is
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

// Which systemd: the host's (PID 1, on the system bus), or the calling user's
// (`systemd --user`, on the user's bus), which makes rootless containers'
// scopes as runc's rootless systemd driver has it make them.
enum class SystemdInstance { kSystem, kUser };

// Connects to `instance`'s bus. FailedPrecondition naming --systemd-cgroup
// when systemd is not running (no `systemd_runtime_directory`),
// libsystemd.so.0 cannot be loaded, or the bus cannot be reached.
absl::StatusOr<std::unique_ptr<UnitClient>> ConnectToSystemd(
    SystemdInstance instance = SystemdInstance::kSystem, absl::Duration job_timeout = kJobTimeout,
    const std::string& systemd_runtime_directory = kSystemdRuntimeDirectory);

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_SD_BUS_UNIT_CLIENT_H_
