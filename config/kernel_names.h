// The kernel constants an OCI config names: capabilities ("CAP_KILL") and
// rlimits ("RLIMIT_NOFILE"). One table each, shared by the validator and the
// container init.
#ifndef HULL_CONFIG_KERNEL_NAMES_H_
#define HULL_CONFIG_KERNEL_NAMES_H_

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"

namespace hull::config {

// Capability names indexed by number: CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40).
absl::Span<const absl::string_view> CapabilityNames();

// The number of a capability name; nullopt for an unknown name.
absl::optional<int> CapabilityNumber(absl::string_view name);

// The RLIMIT_* resource number of a name; nullopt for an unknown name.
absl::optional<int> RlimitResource(absl::string_view name);

// The name of an RLIMIT_* resource number; nullopt for an unknown number.
absl::optional<absl::string_view> RlimitName(int resource);

}  // namespace hull::config

#endif  // HULL_CONFIG_KERNEL_NAMES_H_
