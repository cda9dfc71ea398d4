// Kernel parameters of the container's namespaces (linux.sysctl), written
// under /proc/sys of the container's procfs.
#ifndef HULL_RUNTIME_SYSTEM_SYSCTL_H_
#define HULL_RUNTIME_SYSTEM_SYSCTL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"

namespace hull::system {

// The file of sysctl `name`, relative to the procfs mount:
// "net.ipv4.ip_forward" -> "sys/net/ipv4/ip_forward". Either of sysctl(8)'s
// spellings ("net.ipv4.conf.eth0/100.forwarding",
// "net/ipv4/conf/eth0.100/forwarding"), read by config::SysctlFile, which
// refuses empty components, "." and "..".
absl::StatusOr<std::string> SysctlPath(absl::string_view name);

// Writes every `linux.sysctl` entry of `spec`, in name order; stops at the
// first failure, which names the sysctl and the file.
absl::Status ApplySysctls(const config::Spec& spec, ProcFiles& proc);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_SYSCTL_H_
