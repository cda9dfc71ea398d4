// The container's resources as properties of its systemd unit, where systemd
// has one (runc's genV1/genV2ResourcesProperties): systemd then keeps them
// across a `systemctl daemon-reload` instead of rewriting the cgroup's files
// with its own idea of the unit. Pure: no bus, no kernel. The cgroup files
// are written too, by the cgroupfs managers, for everything (systemd_manager.h).
#ifndef HULL_CGROUPS_SYSTEMD_UNIT_PROPERTIES_H_
#define HULL_CGROUPS_SYSTEMD_UNIT_PROPERTIES_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups::systemd {

// systemd's "infinity" for a limit (USEC_INFINITY, CGROUP_LIMIT_MAX).
inline constexpr uint64_t kInfinity = UINT64_MAX;

// One entry of DeviceAllow: a device node ("/dev/char/1:3") or group
// ("char-pts", "block-*"), and its access ("rwm").
struct DeviceAllow {
  std::string path;
  std::string access;

  bool operator==(const DeviceAllow&) const = default;
};

// A D-Bus value of a unit property, by its signature: b, y, n, q, i, u, x, t,
// d, s, au (PIDs), ay (a CPU or node mask, AllowedCPUs), as, a(ss)
// (DeviceAllow). Hull's own properties are b, t, s, au, ay and a(ss); the
// others come from a config's annotations (property_annotations.h).
using PropertyValue =
    std::variant<bool, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, double,
                 std::string, std::vector<uint32_t>, std::vector<uint8_t>,
                 std::vector<std::string>, std::vector<DeviceAllow>>;

struct UnitProperty {
  std::string name;
  PropertyValue value;

  bool operator==(const UnitProperty&) const = default;
};

// The properties of a new transient scope holding `pid`, in slice `slice`:
// Description, Slice, Delegate=yes (the container's cgroup is Hull's to
// write), PIDs=[pid], the accounting of memory, CPU, I/O (IOAccounting on v2,
// `unified`; BlockIOAccounting on v1) and tasks on, as runc does (the
// controllers are then enabled for the scope whatever its limits), and
// DefaultDependencies=no (a container is not stopped at shutdown before the
// services it serves).
std::vector<UnitProperty> ScopeProperties(absl::string_view slice, absl::string_view description,
                                          pid_t pid, bool unified);

// CPUQuotaPerSecUSec for quota `quota` per `period` µs (0: 100 ms, the
// kernel's default): quota * 1s / period, rounded UP to a multiple of 10 ms,
// because systemd keeps the quota as a whole percentage of a CPU and a child
// cgroup must be able to get the quota asked for; infinity for quota <= 0.
uint64_t CpuQuotaPerSecUSec(int64_t quota, uint64_t period);

// AllowedCPUs / AllowedMemoryNodes: "0-2,9" as systemd's byte mask (bit j of
// byte i is number 8i+j). InvalidArgument for a malformed list.
absl::StatusOr<std::vector<uint8_t>> CpuListBytes(absl::string_view list);

// DevicePolicy and DeviceAllow for the device rules, in order (runc's
// generateDeviceProperties): an allow-list becomes DevicePolicy=strict and
// the allowed nodes; a major:* rule names its group from `proc_devices` (the
// text of /proc/devices) and is left out, with a warning, when there is none;
// *:minor rules systemd cannot say and are left out too. A deny-list (the
// rules allow everything, then deny some) systemd cannot say either: it gets
// DevicePolicy=auto and no DeviceAllow, and the cgroup's own device rules
// (the v2 eBPF filter, v1's devices.deny) enforce it.
std::vector<UnitProperty> DeviceProperties(
    const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules,
    absl::string_view proc_devices);

// The properties for `resources` on a host whose container cgroup is cgroup
// v2 (`unified`: MemoryMax, MemoryLow, MemorySwapMax, TasksMax, CPUWeight,
// CPUQuotaPeriodUSec, CPUQuotaPerSecUSec, AllowedCPUs, AllowedMemoryNodes,
// IOWeight) or v1 (MemoryLimit, TasksMax, CPUShares, CPUQuota*,
// BlockIOWeight), plus DeviceProperties when there are device rules. Unset
// and zero values are left out; -1 limits are infinity. InvalidArgument for
// values runc refuses (swap below the memory limit, a malformed CPU list).
absl::StatusOr<std::vector<UnitProperty>> ResourceProperties(const config::Resources& resources,
                                                             bool unified,
                                                             absl::string_view proc_devices);

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_UNIT_PROPERTIES_H_
