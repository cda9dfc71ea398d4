// The state machine's actions on a real Linux kernel: one object per
// command, carrying that command's parameters.
#ifndef HULL_RUNTIME_LINUX_ACTIONS_H_
#define HULL_RUNTIME_LINUX_ACTIONS_H_

#include <signal.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "cgroups/manager.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/clone.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/create_options.h"
#include "runtime/init/container_init.h"
#include "base/fd.h"
#include "statemachine/actions.h"

namespace hull::runtime {

// The cgroup manager of an existing container, from its persisted paths.
absl::StatusOr<std::unique_ptr<cgroups::Manager>> ContainerCgroups(
    const statemachine::ContainerState& state);

class LinuxActions final : public statemachine::Actions {
 public:
  // `state_root` holds the containers' directories; `cloner` must outlive
  // this object. The container's init runs `init_steps` (see
  // RunContainerInit), which must outlive this object too.
  LinuxActions(std::string state_root, nsenter::ProcessCloner& cloner,
               absl::Span<const InitStep> init_steps = DefaultInitSteps())
      : state_root_(std::move(state_root)), cloner_(cloner), init_steps_(init_steps) {}

  // Parameters of the commands that have any.
  void SetCreateOptions(const CreateOptions& options) { create_ = options; }
  void SetSignal(int signal, bool all) {
    signal_ = signal;
    signal_all_ = all;
  }
  void SetResources(const config::Resources& resources) { resources_ = resources; }
  // delete --force: also kill the processes a gone init left in the
  // container's cgroup (without a pid namespace of its own they outlive it);
  // a plain delete refuses such a cgroup.
  void SetForceDelete(bool force) { force_delete_ = force; }

  absl::Status Run(statemachine::Action action, statemachine::ContainerState& state) override;
  absl::Status Undo(statemachine::Action action, statemachine::ContainerState& state) override;

  // After a successful create: a pidfd on the init, whose parent the caller
  // is (so it may wait for it).
  UniqueFd TakeInitPidfd() { return std::move(init_pidfd_); }

 private:
  std::string ContainerDir(const statemachine::ContainerState& state) const;
  absl::Status CloneInit(statemachine::ContainerState& state);
  absl::Status LetInitFinish();
  absl::Status Signal(const statemachine::ContainerState& state, int signal, bool all);
  absl::Status KillAll(const statemachine::ContainerState& state);
  absl::Status KillClonedInit();
  // `status` of something done to the init (its id maps), or, when that
  // failed because the init failed first, the init's own error.
  absl::Status InitErrorOr(absl::Status status);
  absl::Status CreateCgroup(statemachine::ContainerState& state);
  absl::Status UpdateResources(statemachine::ContainerState& state);
  // The container's cgroups, from its persisted paths (made once a command).
  absl::StatusOr<cgroups::Manager*> Cgroups(const statemachine::ContainerState& state);

  std::string state_root_;
  nsenter::ProcessCloner& cloner_;
  absl::Span<const InitStep> init_steps_;
  CreateOptions create_;
  int signal_ = SIGTERM;
  bool signal_all_ = false;
  config::Resources resources_;
  bool force_delete_ = false;

  std::unique_ptr<cgroups::Manager> cgroups_;

  // Held between the create row's actions.
  UniqueFd exec_fifo_;
  UniqueFd init_pidfd_;
  std::optional<channel::SyncChannel> channel_;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_LINUX_ACTIONS_H_
