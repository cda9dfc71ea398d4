// Traffic counters of the interfaces in a container's network namespace,
// for the stats `events` prints (cgroups count no network traffic).
#ifndef HULL_RUNTIME_NETWORK_STATS_H_
#define HULL_RUNTIME_NETWORK_STATS_H_

#include <sys/types.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/stats.pb.h"

namespace hull::runtime {

// Parses /proc/<pid>/net/dev (two header lines, then
// "name: rx_bytes rx_packets rx_errs rx_drop ... tx_bytes tx_packets tx_errs
// tx_drop ..."). The loopback interface is left out, as runc leaves it out.
absl::StatusOr<std::vector<cgroups::NetworkInterface>> ParseNetDev(absl::string_view text);

// The interfaces of the network namespace `pid` is in.
absl::StatusOr<std::vector<cgroups::NetworkInterface>> NetworkInterfacesOf(pid_t pid);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_NETWORK_STATS_H_
