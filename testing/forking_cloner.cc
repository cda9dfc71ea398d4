#include "testing/forking_cloner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

#include "absl/status/status.h"
#include "base/status_util.h"
#include "nsenter/pidfd.h"

namespace hull::testing {

absl::StatusOr<nsenter::ClonedProcess> ForkingCloner::Clone(const nsenter::CloneOptions& options) {
  last_options_ = options;
  if (!next_failure_.ok()) return std::exchange(next_failure_, absl::OkStatus());
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) return nsenter::ClonedProcess{};
  ++clones_;
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(pid);
  if (!pidfd.ok()) {
    kill(pid, SIGKILL);
    return pidfd.status();
  }
  if (return_after_exit_) {
    siginfo_t info;
    if (waitid(P_PIDFD, pidfd->get(), &info, WEXITED | WNOWAIT) != 0) {
      return ErrnoStatus("waitid for the forked child's exit");
    }
  }
  return nsenter::ClonedProcess{.pid = pid, .pidfd = *std::move(pidfd)};
}

}  // namespace hull::testing
