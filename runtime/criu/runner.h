// The seam between Hull and CRIU: one RPC request served to its end, with
// the notifications CRIU sends meanwhile. The real one is CRIU's service
// worker (swrk.h); tests use a gmock.
#ifndef HULL_RUNTIME_CRIU_RUNNER_H_
#define HULL_RUNTIME_CRIU_RUNNER_H_

#include <sys/types.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "runtime/criu/rpc.pb.h"

namespace hull::runtime::criu {

// The fd CRIU gets the first of Run's `extra_fds` as; the i-th is
// kFirstExtraFd + i. inherit_fd and status_fd in a request name these.
inline constexpr int kFirstExtraFd = 4;

// One notification ("action script") CRIU sends while it serves a request:
// "pre-dump", "post-dump", "network-lock", "network-unlock",
// "setup-namespaces", "post-setup-namespaces", "post-restore",
// "orphan-pts-master", "status-ready", ...
struct Notification {
  std::string script;
  // The restored init's pid (setup-namespaces, post-restore), else 0.
  pid_t pid = 0;
  // orphan-pts-master: the master of the restored tree's pty.
  UniqueFd fd;
};

struct Callbacks {
  // Called once CRIU runs, before it gets the request, with its pid (so that
  // a restore can move it into the container's cgroups). May be empty.
  std::function<absl::Status(pid_t criu)> started;
  // Called for each notification; its status is CRIU's answer (a failure
  // makes CRIU abandon the request and undo what it did). May be empty:
  // every notification is then answered with success.
  std::function<absl::Status(Notification& notification)> notify;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Serves `request`; CRIU gets copies of `extra_fds` (see kFirstExtraFd).
  // The response when CRIU answers with success; otherwise an error with
  // CRIU's message and errno, or the failure of a callback (first).
  virtual absl::StatusOr<criu_resp> Run(const criu_req& request, absl::Span<const int> extra_fds,
                                        const Callbacks& callbacks) = 0;
};

}  // namespace hull::runtime::criu

#endif  // HULL_RUNTIME_CRIU_RUNNER_H_
