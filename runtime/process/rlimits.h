// The container process's resource limits (process.rlimits).
#ifndef HULL_RUNTIME_PROCESS_RLIMITS_H_
#define HULL_RUNTIME_PROCESS_RLIMITS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::process {

// The resource number of an "RLIMIT_*" name (RLIMIT_AS ... RLIMIT_STACK);
// InvalidArgument for any other name.
absl::StatusOr<int> RlimitResource(absl::string_view type);

struct Limit {
  uint64_t soft = 0;
  uint64_t hard = 0;  // RLIM_INFINITY (all ones) is "unlimited"

  bool operator==(const Limit&) const = default;
};

// getrlimit / setrlimit of the calling process.
class ResourceLimits {
 public:
  virtual ~ResourceLimits() = default;
  virtual absl::StatusOr<Limit> Get(int resource) = 0;
  // An error names the limit and the values.
  virtual absl::Status Set(int resource, const Limit& limit) = 0;
};

class LinuxResourceLimits final : public ResourceLimits {
 public:
  absl::StatusOr<Limit> Get(int resource) override;
  absl::Status Set(int resource, const Limit& limit) override;
};

// Sets each of `process.rlimits`, in order. A failure names the limit and
// the values, and for EPERM the current limits too, e.g.
// `setrlimit RLIMIT_NOFILE to soft 1024, hard 2097152: Operation not
// permitted (current soft 1024, hard 1048576; raising a hard limit needs
// CAP_SYS_RESOURCE)`.
absl::Status ApplyRlimits(const config::Process& process, ResourceLimits& limits);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_RLIMITS_H_
