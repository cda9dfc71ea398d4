// What the running kernel offers that a config may ask for and Hull cannot
// do without: the Linux security modules that enforce process.apparmorProfile,
// process.selinuxLabel and linux.mountLabel. The validator refuses those
// fields on a host without their module, so that `hull validate` and `create`
// refuse the same configs.
#ifndef HULL_CONFIG_HOST_SUPPORT_H_
#define HULL_CONFIG_HOST_SUPPORT_H_

#include "absl/strings/string_view.h"

namespace hull::config {

struct HostSupport {
  // /sys/module/apparmor/parameters/enabled reads "Y" (runc's test).
  bool apparmor = false;
  // The kernel registered selinuxfs, which it does only with SELinux enabled.
  bool selinux = false;
};

// From the contents of /sys/module/apparmor/parameters/enabled (empty when
// the file is absent) and of /proc/filesystems.
HostSupport ParseHostSupport(absl::string_view apparmor_enabled,
                             absl::string_view proc_filesystems);

// The running kernel's, read once per process.
const HostSupport& DetectedHostSupport();

}  // namespace hull::config

#endif  // HULL_CONFIG_HOST_SUPPORT_H_
