#include "runtime/system/memory_policy.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/cpu_list.h"
#include "config/process_kernel_names.h"

namespace hull::system {
namespace {

// MAX_NUMNODES at its largest (NODES_SHIFT 10).
constexpr uint32_t kMaxNodes = 1024;

}  // namespace

absl::StatusOr<MemoryPolicyArguments> MemoryPolicyArgumentsOf(const config::MemoryPolicy& policy) {
  const absl::optional<int> mode = config::MemoryPolicyMode(policy.mode());
  if (!mode) {
    return absl::InvalidArgumentError(
        absl::StrCat("linux.memoryPolicy.mode: unknown mode \"", policy.mode(), "\""));
  }
  MemoryPolicyArguments arguments{.mode = *mode};
  for (const std::string& name : policy.flags()) {
    const absl::optional<int> flag = config::MemoryPolicyFlag(name);
    if (!flag) {
      return absl::InvalidArgumentError(
          absl::StrCat("linux.memoryPolicy.flags: unknown flag \"", name, "\""));
    }
    arguments.mode |= *flag;
  }
  if (policy.nodes().empty()) return arguments;
  absl::StatusOr<std::vector<uint64_t>> nodes = config::CpuListMask(policy.nodes(), kMaxNodes);
  if (!nodes.ok()) return Annotate(nodes.status(), "linux.memoryPolicy.nodes");
  arguments.nodes = *std::move(nodes);
  return arguments;
}

absl::Status LinuxMemoryPolicyControl::Set(const MemoryPolicyArguments& arguments) {
  // The kernel reads one bit fewer than maxnode (an old off-by-one that
  // numactl's callers, libnuma first, compensate as here).
  const unsigned long max_node = arguments.nodes.empty() ? 0 : arguments.nodes.size() * 64 + 1;
  if (syscall(SYS_set_mempolicy, arguments.mode,
              arguments.nodes.empty() ? nullptr : arguments.nodes.data(), max_node) != 0) {
    return ErrnoStatus("set_mempolicy(mode 0x", absl::Hex(arguments.mode), ")");
  }
  return absl::OkStatus();
}

absl::Status ApplyMemoryPolicy(const config::Spec& spec, MemoryPolicyControl& control) {
  if (!spec.linux().has_memory_policy()) return absl::OkStatus();
  const config::MemoryPolicy& policy = spec.linux().memory_policy();
  ASSIGN_OR_RETURN(const MemoryPolicyArguments arguments, MemoryPolicyArgumentsOf(policy));
  return Annotate(control.Set(arguments),
                  absl::StrCat("linux.memoryPolicy ", policy.mode(), " nodes \"", policy.nodes(),
                               "\""));
}

}  // namespace hull::system
