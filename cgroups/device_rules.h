// Device cgroup rules: the default list every container gets, and their
// text in the v1 devices.allow / devices.deny files.
#ifndef HULL_CGROUPS_DEVICE_RULES_H_
#define HULL_CGROUPS_DEVICE_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

// runc's AllowedDevices, in its order (libcontainer/specconv): mknod of any
// character or block device; /dev/null, random, full, tty, zero, urandom;
// the pty slaves (136:*) and /dev/ptmx (5:2); /dev/net/tun (10:200). runc
// appends them to linux.resources.devices; so should the caller.
std::vector<config::DeviceCgroup> DefaultDeviceRules();

// "linux.resources.devices[<index>]": the config path errors and warnings
// about a rule name.
std::string DeviceRulePath(int index);

// InvalidArgument unless the type is "a", "b" or "c" ("" meaning "a") and
// the access has at least one of "r", "w" and "m" (other letters are
// ignored, as runc does); the message names linux.resources.devices[index].
absl::Status ValidateDeviceRule(const config::DeviceCgroup& rule, int index);

// "c 1:3 rwm", "a *:* rwm": a validated rule as devices.allow and
// devices.deny take it (absent numbers are "*"; the access's r, w, m once
// each, in that order).
std::string DeviceRuleText(const config::DeviceCgroup& rule);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_DEVICE_RULES_H_
