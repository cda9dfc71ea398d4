// Drives containers through the transition table: lock, load, reconcile with
// the kernel, run the row's actions (undoing them on failure), persist.
#ifndef HULL_STATEMACHINE_ENGINE_H_
#define HULL_STATEMACHINE_ENGINE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "statemachine/actions.h"
#include "statemachine/process_probe.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "statemachine/transitions.h"

namespace hull::statemachine {

class Engine {
 public:
  // All must outlive the engine. Without a `freeze_probe`, containers are
  // never observed paused (only the pause command makes them so).
  Engine(StateStore* store, ProcessProbe* probe, FreezeProbe* freeze_probe = nullptr);

  // Makes container `initial.id()` (status creating, creation time now) and
  // runs the create row, returning the created container. AlreadyExists when
  // the id is taken. On failure, the actions done are undone and the
  // container's directory is removed.
  absl::StatusOr<ContainerState> Create(ContainerState initial, Actions& actions);

  // As Create, with the restore row: the container comes from a checkpoint
  // (which `actions` knows) and ends up running.
  absl::StatusOr<ContainerState> Restore(ContainerState initial, Actions& actions);

  // Applies `event` to container `id` and returns its new state (for delete,
  // the state it had when removed). A refused event is FailedPrecondition
  // naming the state and the events it allows. When an action fails, the
  // earlier ones are undone in reverse order, the persisted state is left
  // as it was and the action's error is returned. Create and restore make a
  // container (see above), and exited is observed, never fired:
  // InvalidArgument.
  absl::StatusOr<ContainerState> Fire(absl::string_view id, Event event, Actions& actions);

  // Deletes container `id` whose state or config file is damaged or missing (Load
  // fails with DataLoss), from what StateStore::Salvage still reads: the
  // actions of the delete row of `creating` (what a crashed create leaves)
  // but its hooks, which a damaged config cannot be trusted for. Their
  // failures are logged and the directory is removed all the same: nothing
  // else could remove it. FailedPrecondition when the state is readable.
  absl::Status RemoveDamaged(absl::string_view id, Actions& actions);

  // The state of container `id`, reconciled with the kernel; changes nothing.
  absl::StatusOr<ContainerState> Get(absl::string_view id);
  // As Get, without the config (StateStore::LoadWithoutConfig).
  absl::StatusOr<ContainerState> GetWithoutConfig(absl::string_view id);

 private:
  absl::StatusOr<ContainerState> Materialize(ContainerState initial, Event event, Actions& actions);
  // Applies the exited row when the container's init is gone; a running
  // container whose processes are frozen is paused, a paused one that is not
  // frozen (thawed behind Hull's back) running.
  absl::Status Reconcile(ContainerState& state);

  StateStore* store_;
  ProcessProbe* probe_;
  FreezeProbe* freeze_probe_;
};

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_ENGINE_H_
