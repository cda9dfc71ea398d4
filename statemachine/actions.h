// The operations transitions perform. Real implementations drive the kernel
// (cgroups, clone, CRIU, hooks); tests use testing/mock_actions.h.
#ifndef HULL_STATEMACHINE_ACTIONS_H_
#define HULL_STATEMACHINE_ACTIONS_H_

#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "statemachine/state.pb.h"
#include "statemachine/transitions.h"

namespace hull::statemachine {

// One object per command: it carries the command's parameters (the signal,
// the new resources, the process to exec), so the engine stays generic.
class Actions {
 public:
  virtual ~Actions() = default;

  // Performs `action` for the container `state` describes. May record what
  // it made in `state` (the init's pid, cgroup paths); the engine persists
  // `state` only if every action of the transition succeeds.
  virtual absl::Status Run(Action action, ContainerState& state) = 0;

  // Reverses a successful Run of `action` because a later step of the same
  // transition failed. Actions that cannot be reversed (hooks, signals) do
  // nothing.
  virtual absl::Status Undo(Action action, ContainerState& state) = 0;

  // Whether Run(action, state) reads state.config(). The engine reads the
  // config file only for a transition with such an action (parsing it is
  // most of what a `start` costs); it is read unless an implementation says
  // otherwise.
  virtual bool ReadsConfig(Action /*action*/, const ContainerState& /*state*/) const {
    return true;
  }

  // Set by the engine while it makes a container (the create and restore
  // rows): persists `state`, still `creating`, so that an action can record
  // what it is about to make (cgroup paths, the init's pid) before a crash
  // could leak it, for delete to find. Without one, SaveProgress saves
  // nothing.
  void set_progress_saver(std::function<absl::Status(const ContainerState&)> saver) {
    progress_saver_ = std::move(saver);
  }

 protected:
  absl::Status SaveProgress(const ContainerState& state) {
    return progress_saver_ ? progress_saver_(state) : absl::OkStatus();
  }

 private:
  std::function<absl::Status(const ContainerState&)> progress_saver_;
};

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_ACTIONS_H_
