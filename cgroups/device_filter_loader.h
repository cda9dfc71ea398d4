// Loading a device filter program (device_filter.h) into the kernel and
// attaching it to a cgroup v2 directory, replacing the one attached before.
#ifndef HULL_CGROUPS_DEVICE_FILTER_LOADER_H_
#define HULL_CGROUPS_DEVICE_FILTER_LOADER_H_

#include <linux/bpf.h>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace hull::cgroups {

class DeviceFilterLoader {
 public:
  virtual ~DeviceFilterLoader() = default;

  // Makes `program` the cgroup's device filter: attaches it to the cgroup
  // open at `cgroup_fd` (an O_DIRECTORY fd) with BPF_F_ALLOW_MULTI, then
  // detaches the device programs attached to that cgroup before (parents'
  // programs still apply, as the kernel runs them all). On failure before the
  // attach, the previous filter stays.
  virtual absl::Status Install(int cgroup_fd, absl::Span<const bpf_insn> program) = 0;
};

// The raw bpf(2) syscall: BPF_PROG_LOAD (type BPF_PROG_TYPE_CGROUP_DEVICE),
// BPF_PROG_QUERY, BPF_PROG_ATTACH and BPF_PROG_DETACH (BPF_CGROUP_DEVICE).
// Needs CAP_SYS_ADMIN (or CAP_BPF) and kernel >= 4.15. The kernel keeps the
// program alive while it is attached; it goes with the cgroup.
class LinuxDeviceFilterLoader final : public DeviceFilterLoader {
 public:
  absl::Status Install(int cgroup_fd, absl::Span<const bpf_insn> program) override;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_DEVICE_FILTER_LOADER_H_
