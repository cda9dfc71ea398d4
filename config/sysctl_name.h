// sysctl names, read the way sysctl(8) reads them. The validator and the
// container init both use this, so the file the init writes is the one whose
// namespace the validator checked.
//
// A name has two spellings. Dotted, "net.ipv4.conf.eth0/100.forwarding": the
// components are separated by '.', and a '/' stands for a '.' inside a
// component. Slashed, when the first separator is '/',
// "net/ipv4/conf/eth0.100/forwarding": the dots are literal.
#ifndef HULL_CONFIG_SYSCTL_NAME_H_
#define HULL_CONFIG_SYSCTL_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::config {

// The dotted spelling of `name` (runc checks a sysctl's namespace on it).
// InvalidArgument when a component of its file would be empty, "." or "..".
absl::StatusOr<std::string> DottedSysctlName(absl::string_view name);

// The file of sysctl `name` relative to /proc/sys:
// "net.ipv4.conf.eth0/100.forwarding" -> "net/ipv4/conf/eth0.100/forwarding".
// InvalidArgument as DottedSysctlName.
absl::StatusOr<std::string> SysctlFile(absl::string_view name);

}  // namespace hull::config

#endif  // HULL_CONFIG_SYSCTL_NAME_H_
