// The five capability sets of the container's process (process.capabilities):
// names resolved to numbers, the bounding set dropped while the init is still
// root, then the effective, permitted and inheritable sets set and the
// ambient set raised after the user switch.
#ifndef HULL_RUNTIME_SECURITY_CAPABILITIES_H_
#define HULL_RUNTIME_SECURITY_CAPABILITIES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"

namespace hull::security {

// The number of a capability name Hull knows, CAP_CHOWN (0) to
// CAP_CHECKPOINT_RESTORE (40); InvalidArgument for any other name.
absl::StatusOr<int> CapabilityNumber(absl::string_view name);

// "CAP_CHOWN" for 0; "capability 63" for a number Hull has no name for.
std::string CapabilityName(int number);

// The highest capability the running kernel knows, from
// /proc/sys/kernel/cap_last_cap.
absl::StatusOr<int> ReadLastCapability(ProcFiles& proc);

// The same, as libcap's constructor asked the kernel in every process (a
// binary search of PR_CAPBSET_READ, which refuses exactly the numbers above
// it): no procfs read, which costs the init far more (path walk, pid
// dentries).
absl::StatusOr<int> ProbeLastCapability();

// Capability sets as bit masks: bit n is capability n.
struct CapabilitySets {
  // The kernel's highest capability: the sets hold nothing above it.
  int last_cap = 0;
  uint64_t bounding = 0;
  uint64_t effective = 0;
  uint64_t permitted = 0;
  uint64_t inheritable = 0;
  uint64_t ambient = 0;

  bool operator==(const CapabilitySets&) const = default;
};

// Resolves the names of `capabilities` (an absent set is empty). An unknown
// name is an error naming the set; a capability the kernel does not know
// (above `last_cap`) is ignored without error, as runc does.
absl::StatusOr<CapabilitySets> ResolveCapabilities(const config::Capabilities& capabilities,
                                                   int last_cap);

// The capability operations on the calling process.
class CapabilityControl {
 public:
  virtual ~CapabilityControl() = default;
  // PR_CAPBSET_READ.
  virtual absl::StatusOr<bool> InBoundingSet(int capability) = 0;
  // PR_CAPBSET_DROP (needs CAP_SETPCAP).
  virtual absl::Status DropFromBoundingSet(int capability) = 0;
  // capset(2) of the effective, permitted and inheritable sets.
  virtual absl::Status SetProcessSets(uint64_t effective, uint64_t permitted,
                                      uint64_t inheritable) = 0;
  // PR_CAP_AMBIENT_CLEAR_ALL.
  virtual absl::Status ClearAmbient() = 0;
  // PR_CAP_AMBIENT_RAISE.
  virtual absl::Status RaiseAmbient(int capability) = 0;
};

// With prctl(2) and capset(2), one call an operation.
class LinuxCapabilityControl final : public CapabilityControl {
 public:
  absl::StatusOr<bool> InBoundingSet(int capability) override;
  absl::Status DropFromBoundingSet(int capability) override;
  absl::Status SetProcessSets(uint64_t effective, uint64_t permitted,
                              uint64_t inheritable) override;
  absl::Status ClearAmbient() override;
  absl::Status RaiseAmbient(int capability) override;
};

// Drops from the bounding set every capability not in `sets.bounding`, one
// PR_CAPBSET_DROP each (dropping an absent one does nothing); a refused drop
// (no CAP_SETPCAP) fails only for a capability that is there. Dropping needs
// CAP_SETPCAP: run it before the user switch.
absl::Status DropBoundingSet(const CapabilitySets& sets, CapabilityControl& control);

// Sets the effective, permitted and inheritable sets, then clears the
// ambient set and raises `sets.ambient` in it. Run it after the user switch
// (made with PR_SET_KEEPCAPS, so the permitted set is still there).
absl::Status ApplyCapabilities(const CapabilitySets& sets, CapabilityControl& control);

// Makes every permitted capability inheritable and ambient, so that they
// survive an execve by a process that is not root in its user namespace (a
// new one's init before its id maps). ApplyCapabilities sets them all later.
absl::Status KeepCapabilitiesAcrossExec();

}  // namespace hull::security

#endif  // HULL_RUNTIME_SECURITY_CAPABILITIES_H_
