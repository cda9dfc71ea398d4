// linux.netDevices (runtime-spec 1.3): network devices of the host that a
// container takes into its network namespace. Each is renamed as its entry
// says (a "%d" template takes the first number free there, as the kernel's
// own templates do), keeps its permanent addresses of global scope, and is
// set up. Hull does not move them back: when the namespace ends, the kernel
// returns a physical device to the host and destroys a virtual one.
#ifndef HULL_RUNTIME_NETWORK_NET_DEVICES_H_
#define HULL_RUNTIME_NETWORK_NET_DEVICES_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/map.h"
#include "runtime/network/rtnetlink.h"

namespace hull::network {

using NetDevices = google::protobuf::Map<std::string, config::NetDevice>;

// Moves `devices` from the network namespace `host` speaks for into the one
// `container` speaks for, which `container_netns_fd` names. Every device is
// found, and every name checked free, before the first one moves; an error
// names the entry (`linux.netDevices["eth1"]`).
absl::Status MoveNetDevices(const NetDevices& devices, Rtnetlink& host, Rtnetlink& container,
                            int container_netns_fd);

// The same from the caller's network namespace, through LinuxRtnetlink.
absl::Status MoveNetDevicesInto(const NetDevices& devices, int container_netns_fd);

// `spec`'s linux.netDevices from the caller's network namespace into the
// container's: the one `spec` joins by path, else the one its init
// (`init_pid`, whose pidfd is `init_pidfd`) was cloned with.
absl::Status MoveContainerNetDevices(const config::Spec& spec, pid_t init_pid, int init_pidfd);

}  // namespace hull::network

#endif  // HULL_RUNTIME_NETWORK_NET_DEVICES_H_
