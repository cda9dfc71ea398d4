// An init's context as it crosses a process boundary (init_request.proto):
// packed into a memfd and a list of fds by the process that has it, unpacked
// by a fork server, or by the init itself once it has re-executed its binary.
#ifndef HULL_RUNTIME_INIT_INIT_REQUEST_H_
#define HULL_RUNTIME_INIT_INIT_REQUEST_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "base/fd.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "runtime/init/init_request.pb.h"
#include "runtime/seccomp/filter.h"

namespace hull::runtime {

// A packed context: the memfd holding its InitRequest, and the fds to send
// along, in init_request.proto's order (the memfd's first).
struct PackedInit {
  UniqueFd memfd;
  std::vector<int> fds;
};

// Packs `context`. The fds the container's process inherits are
// context.inherited_fds, or, when those are in place already, the caller's
// own 0 to 2 + preserve_fds.
absl::StatusOr<PackedInit> PackInit(const InitContext& context);

// A context rebuilt from a packed one, owning everything it refers to but
// the sealed binary's fd, which the init it runs takes over
// (InitContext::sealed_exe_fd).
class UnpackedInit {
 public:
  // `fds` as PackInit lists them. Every fd but the inherited ones ends up
  // close-on-exec at or above 3 + preserve_fds, where the init places those
  // (process::PlaceInheritedFds); inherited fds that are in place already
  // (0, 1, 2, ... in order) are left there.
  static absl::StatusOr<std::unique_ptr<UnpackedInit>> Unpack(std::vector<UniqueFd> fds);

  UnpackedInit(const UnpackedInit&) = delete;
  UnpackedInit& operator=(const UnpackedInit&) = delete;

  InitContext& context() { return *context_; }

 private:
  UnpackedInit() = default;

  InitRequest request_;
  std::vector<UniqueFd> fds_;
  std::optional<channel::SyncChannel> channel_;
  std::vector<int> inherited_;
  std::optional<seccomp::Filter> seccomp_filter_;
  std::optional<InitContext> context_;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_INIT_INIT_REQUEST_H_
