#include "statemachine/engine.h"

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "base/wall_clock.h"
#include "glog/logging.h"
#include "statemachine/container_id.h"
#include "statemachine/refusal.h"

namespace hull::statemachine {
namespace {

// The start of the debug lines of `transition` on `state`'s container:
// `container "web": create: `.
struct LogPrefix {
  const ContainerState& state;
  const Transition& transition;
};
std::ostream& operator<<(std::ostream& os, const LogPrefix& prefix) {
  return os << "container \"" << prefix.state.id() << "\": " << EventName(prefix.transition.event)
            << ": ";
}

// Undoes `done` in reverse order and returns `failure`, with the failures of
// undoing appended to its message.
absl::Status UndoInReverse(const Transition& transition, absl::Span<const Action> done,
                           ContainerState& state, Actions& actions, const absl::Status& failure) {
  std::string undo_failures;
  for (auto action = done.rbegin(); action != done.rend(); ++action) {
    VLOG(1) << LogPrefix{state, transition} << "undo " << ActionName(*action);
    const absl::Status undone = actions.Undo(*action, state);
    if (!undone.ok()) {
      absl::StrAppend(&undo_failures, "; undoing ", ActionName(*action),
                      " failed too: ", undone.message());
    }
  }
  if (undo_failures.empty()) return failure;
  return absl::Status(failure.code(), absl::StrCat(failure.message(), undo_failures));
}

// Runs the actions of `transition` on `state` in order, then commits it in
// the transition's target state and returns it. When an action or the commit
// fails, undoes the actions done and returns that failure.
// The debug log names each step, and a failing one without its error: the
// caller reports that (the CLI logs it once).
template <typename Commit>
absl::StatusOr<ContainerState> RunTransition(const Transition& transition, ContainerState state,
                                             Actions& actions, Commit commit) {
  VLOG(1) << LogPrefix{state, transition} << StateName(transition.from) << " -> "
          << (transition.to.has_value() ? StateName(*transition.to) : "deleted");
  const absl::Span<const Action> steps = transition.actions.span();
  for (size_t i = 0; i < steps.size(); ++i) {
    VLOG(1) << LogPrefix{state, transition} << ActionName(steps[i]);
    const absl::Status status = actions.Run(steps[i], state);
    if (!status.ok()) {
      VLOG(1) << LogPrefix{state, transition} << ActionName(steps[i]) << " failed";
      return UndoInReverse(transition, steps.first(i), state, actions, status);
    }
  }
  // Committed in place, not as a copy (the state holds the whole config); a
  // failed commit puts the old status back for the undo.
  const auto from = state.status();
  if (transition.to.has_value()) state.set_status(*transition.to);
  const absl::Status committed = commit(state);
  if (!committed.ok()) {
    state.set_status(from);
    VLOG(1) << LogPrefix{state, transition} << "saving the new state failed";
    return UndoInReverse(transition, steps, state, actions, committed);
  }
  VLOG(1) << LogPrefix{state, transition} << "done: "
          << (transition.to.has_value() ? StateName(*transition.to) : "deleted");
  return state;
}

}  // namespace

Engine::Engine(StateStore* store, ProcessProbe* probe, FreezeProbe* freeze_probe)
    : store_(store), probe_(probe), freeze_probe_(freeze_probe) {}

absl::StatusOr<ContainerState> Engine::Create(ContainerState initial, Actions& actions) {
  return Materialize(std::move(initial), Event::kCreate, actions);
}

absl::StatusOr<ContainerState> Engine::Restore(ContainerState initial, Actions& actions) {
  return Materialize(std::move(initial), Event::kRestore, actions);
}

absl::StatusOr<ContainerState> Engine::Materialize(ContainerState initial, Event event,
                                                   Actions& actions) {
  const Transition* transition = FindTransition(STATE_CREATING, event);
  if (transition == nullptr || !transition->to.has_value()) {
    return absl::InternalError(absl::StrCat("the transition table has no ", EventName(event),
                                            " row from creating that keeps the container"));
  }
  initial.set_status(STATE_CREATING);
  initial.set_created_unix_nanos(absl::ToUnixNanos(WallClockNow()));
  ASSIGN_OR_RETURN(ContainerLock lock, store_->Create(initial));
  actions.set_progress_saver([&](const ContainerState& state) {
    // Saved as creating whatever an action set; copied only then.
    if (state.status() == STATE_CREATING) return store_->Save(lock, state);
    ContainerState creating = state;
    creating.set_status(STATE_CREATING);
    return store_->Save(lock, creating);
  });
  absl::StatusOr<ContainerState> result =
      RunTransition(*transition, std::move(initial), actions,
                    [&](const ContainerState& next) { return store_->Save(lock, next); });
  actions.set_progress_saver(nullptr);
  if (result.ok()) return result;
  // A container that failed to come up leaves nothing behind.
  const absl::Status removed = store_->Remove(std::move(lock));
  if (removed.ok()) return result;
  return absl::Status(result.status().code(),
                      absl::StrCat(result.status().message(),
                                   "; removing the container failed too: ", removed.message()));
}

absl::StatusOr<ContainerState> Engine::Fire(absl::string_view id, Event event, Actions& actions) {
  RETURN_IF_ERROR(ValidateContainerId(id));
  if (!IsCommand(event)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "container \"", id, "\": ", EventName(event),
        event == Event::kExited ? " is observed, not fired"
                                : " makes a new container: use Engine::Create or Restore"));
  }
  ASSIGN_OR_RETURN(ContainerLock lock, store_->Lock(id));
  ASSIGN_OR_RETURN(ContainerState state, store_->LoadWithoutConfig(lock));
  RETURN_IF_ERROR(Reconcile(state));
  const Transition* transition = FindTransition(state.status(), event);
  if (transition == nullptr) return Refusal(state, event);
  // The config only for a row that reads it: its file is most of a load.
  const absl::Span<const Action> row = transition->actions.span();
  if (std::any_of(row.begin(), row.end(),
                  [&](Action action) { return actions.ReadsConfig(action, state); })) {
    RETURN_IF_ERROR(store_->LoadConfig(lock, state));
  }
  return RunTransition(*transition, std::move(state), actions, [&](const ContainerState& next) {
    return transition->to.has_value() ? store_->Save(lock, next) : store_->Remove(std::move(lock));
  });
}

absl::Status Engine::RemoveDamaged(absl::string_view id, Actions& actions) {
  ASSIGN_OR_RETURN(ContainerLock lock, store_->Lock(id));
  const absl::Status loaded = store_->Load(lock).status();
  if (loaded.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the state of container \"", id, "\" is readable: delete it as usual"));
  }
  if (!absl::IsDataLoss(loaded)) return loaded;
  ContainerState state = store_->Salvage(lock);
  const Transition* transition = FindTransition(STATE_CREATING, Event::kDelete);
  if (transition == nullptr) {
    return absl::InternalError("the transition table has no delete row from creating");
  }
  for (const Action action : transition->actions.span()) {
    if (action == Action::kRunPoststopHooks) continue;
    VLOG(1) << "container \"" << id << "\": delete (damaged state): " << ActionName(action);
    if (const absl::Status done = actions.Run(action, state); !done.ok()) {
      LOG(WARNING) << "container \"" << id << "\": " << ActionName(action)
                   << " failed: " << done.message();
    }
  }
  return store_->Remove(std::move(lock));
}

absl::StatusOr<ContainerState> Engine::Get(absl::string_view id) {
  ASSIGN_OR_RETURN(ContainerState state, store_->Load(id));
  RETURN_IF_ERROR(Reconcile(state));
  return state;
}

absl::StatusOr<ContainerState> Engine::GetWithoutConfig(absl::string_view id) {
  ASSIGN_OR_RETURN(ContainerState state, store_->LoadWithoutConfig(id));
  RETURN_IF_ERROR(Reconcile(state));
  return state;
}

absl::Status Engine::Reconcile(ContainerState& state) {
  // Only states with an init to watch have an exited row; its actions are
  // empty (transitions_test checks), so applying it is setting the status.
  const Transition* exited = FindTransition(state.status(), Event::kExited);
  if (exited != nullptr && exited->to.has_value()) {
    ASSIGN_OR_RETURN(const bool alive, probe_->IsAlive(state.pid(), state.pid_start_time()));
    if (!alive) {
      state.set_status(*exited->to);
      return absl::OkStatus();
    }
  }
  const bool running = state.status() == STATE_RUNNING;
  if (freeze_probe_ != nullptr && (running || state.status() == STATE_PAUSED)) {
    ASSIGN_OR_RETURN(const bool frozen, freeze_probe_->IsFrozen(state));
    state.set_status(frozen ? STATE_PAUSED : STATE_RUNNING);
  }
  return absl::OkStatus();
}

}  // namespace hull::statemachine
