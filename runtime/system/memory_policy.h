// linux.memoryPolicy: the NUMA memory policy of the container's processes
// (set_mempolicy(2)), inherited across fork and execve; set by the init and
// by exec'd processes.
#ifndef HULL_RUNTIME_SYSTEM_MEMORY_POLICY_H_
#define HULL_RUNTIME_SYSTEM_MEMORY_POLICY_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"

namespace hull::system {

// set_mempolicy(2)'s arguments.
struct MemoryPolicyArguments {
  // The MPOL_* mode or'ed with its MPOL_F_* flags.
  int mode = 0;
  // Bit i of word i / 64 set for node i; empty for no nodes.
  std::vector<uint64_t> nodes;

  bool operator==(const MemoryPolicyArguments&) const = default;
};

// The arguments `policy` names; InvalidArgument for an unknown mode or flag,
// a malformed node list or a node beyond what Linux supports (1023).
absl::StatusOr<MemoryPolicyArguments> MemoryPolicyArgumentsOf(const config::MemoryPolicy& policy);

// set_mempolicy(2) of the calling process.
class MemoryPolicyControl {
 public:
  virtual ~MemoryPolicyControl() = default;
  virtual absl::Status Set(const MemoryPolicyArguments& arguments) = 0;
};

class LinuxMemoryPolicyControl final : public MemoryPolicyControl {
 public:
  absl::Status Set(const MemoryPolicyArguments& arguments) override;
};

// Sets `spec.linux.memory_policy` when the config has one.
absl::Status ApplyMemoryPolicy(const config::Spec& spec, MemoryPolicyControl& control);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_MEMORY_POLICY_H_
