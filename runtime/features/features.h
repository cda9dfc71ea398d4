// The runtime-spec's Features structure for this build on this host: what
// `hull features` prints, so that a runtime caller (podman, containerd) knows
// what Hull honours before it hands over a config.
#ifndef HULL_RUNTIME_FEATURES_FEATURES_H_
#define HULL_RUNTIME_FEATURES_FEATURES_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "runtime/features/features.pb.h"

namespace hull::runtime {

// What the host offers of what Hull supports.
struct HostSupport {
  // /proc/sys/kernel/cap_last_cap: capabilities above it do not exist here.
  int last_capability = 0;
  // The namespace files under /proc/self/ns ("mnt", "net", "time", ...).
  absl::flat_hash_set<std::string> proc_namespaces;
  // Whether the kernel has AppArmor, SELinux enabled (config/host_support.h):
  // Hull applies their labels where it does.
  bool apparmor = false;
  bool selinux = false;
  // Whether resctrl is mounted at /sys/fs/resctrl (linux.intelRdt needs it).
  bool resctrl = false;
  // Whether systemd is the host's init (/run/systemd/system):
  // --systemd-cgroup needs it.
  bool systemd = false;
};

// Reads the host's answers from /proc and /sys.
absl::StatusOr<HostSupport> ProbeHost();

// The Features structure: the OCI versions Hull reads, the hooks it runs,
// the mount options it honours, the namespaces it creates and the host has,
// the capabilities it knows and the kernel has, the cgroup drivers it has
// (v1 and v2 cgroupfs; systemd where it is the host's init, not systemd --user), the seccomp names it applies, AppArmor
// and SELinux where the host has them, Intel RDT where resctrl is mounted,
// and no id-mapped mounts. No annotations: the caller adds its own.
Features FeaturesOf(const HostSupport& host);

// Indented JSON, fields in the spec's order; a feature that is off is
// written as `"enabled": false`.
absl::StatusOr<std::string> FeaturesToJson(const Features& features);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_FEATURES_FEATURES_H_
