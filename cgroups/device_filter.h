// Device rules on cgroup v2, which has no devices.allow: an eBPF program of
// type BPF_PROG_TYPE_CGROUP_DEVICE, emitted here instruction by instruction,
// that the kernel runs on every open and mknod of a device node by a process
// of the cgroup (device_filter_loader.h attaches it).
#ifndef HULL_CGROUPS_DEVICE_FILTER_H_
#define HULL_CGROUPS_DEVICE_FILTER_H_

#include <linux/bpf.h>

#include <vector>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"

namespace hull::cgroups {

// The program enforcing `rules` (linux.resources.devices, with runc's default
// allowed devices appended by the caller, as runc does).
//
// A request names a device (type, major, minor) and one or more of read,
// write and mknod. For each of those, the last rule that matches the device
// and lists it decides; the request is allowed when every access it asks for
// is allowed. An access no rule decides is denied (runc's and crun's default;
// rules usually start with {"allow": false, "access": "rwm"} anyway). A rule
// of type "a" (or none) matches both char and block devices; an absent major
// or minor (or -1, as runc reads it) matches any.
//
// The program returns 1 (allow) or 0 (deny). Errors: InvalidArgument for a
// rule ValidateDeviceRule (device_rules.h) refuses or a device number of
// 2^31 or more.
absl::StatusOr<std::vector<bpf_insn>> BuildDeviceFilter(
    const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_DEVICE_FILTER_H_
