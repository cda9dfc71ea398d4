// A fork server: a process forked from the program while it is still
// single-threaded, which then clones the containers' inits for it, whatever
// threads the program has started since (sandbox2's fork server is the
// model). Each init is cloned with CLONE_PARENT, so it is the program's own
// child, waited for as any other. What crosses to the server is the init's
// context: its config, serialized, and its fds, passed with SCM_RIGHTS.
//
//   int main() {
//     // Before any thread exists.
//     absl::StatusOr<std::unique_ptr<hull::runtime::ForkServer>> server =
//         hull::runtime::ForkServer::Start();
//     hull::runtime::Runtime runtime({.spawner = server->get()});
//     ...  // threads create containers through `runtime`
//   }
#ifndef HULL_RUNTIME_SPAWN_FORK_SERVER_H_
#define HULL_RUNTIME_SPAWN_FORK_SERVER_H_

#include <sys/types.h>

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "nsenter/clone.h"
#include "runtime/init/container_init.h"
#include "runtime/spawn/init_spawner.h"

namespace hull::runtime {

class ForkServer final : public InitSpawner {
 public:
  // Forks the server; FailedPrecondition when the caller has more than one
  // thread already. The server keeps none of the program's fds but its
  // stdio, ignores the terminal's signals and dies with the program. Its
  // inits and exec'd processes run the default steps, from a sealed copy of
  // the program's binary (sealed_reexec.h: the program calls
  // ContainerProcessMain).
  static absl::StatusOr<std::unique_ptr<ForkServer>> Start();

  // A server whose inits run `init_steps` and exec'd processes `exec_steps`
  // in the clone itself, which must be in the program's memory when Start is
  // called (tests inject failures).
  static absl::StatusOr<std::unique_ptr<ForkServer>> Start(
      absl::Span<const InitStep> init_steps,
      absl::Span<const InitStep> exec_steps = DefaultExecSteps());

  // Stops the server (it exits when its socket closes) and reaps it.
  ~ForkServer() override;

  // Thread-safe; requests are served one at a time. Unavailable once the
  // server is gone.
  absl::StatusOr<nsenter::ClonedProcess> Spawn(InitContext& context) override;

  pid_t pid() const { return pid_; }

 private:
  static absl::StatusOr<std::unique_ptr<ForkServer>> Fork(absl::Span<const InitStep> init_steps,
                                                          absl::Span<const InitStep> exec_steps,
                                                          bool sealed);
  ForkServer(UniqueFd socket, pid_t pid, UniqueFd pidfd)
      : socket_(std::move(socket)), pid_(pid), pidfd_(std::move(pidfd)) {}

  absl::Mutex mutex_;
  UniqueFd socket_ ABSL_GUARDED_BY(mutex_);
  const pid_t pid_;
  UniqueFd pidfd_;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_SPAWN_FORK_SERVER_H_
