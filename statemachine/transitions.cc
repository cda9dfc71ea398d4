#include "statemachine/transitions.h"

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hull::statemachine {
namespace {

using enum Action;

// The `to` of rows that delete the container.
constexpr std::optional<State> kRemoved = std::nullopt;

// Deleting kills what is left (a container without its own pid namespace can
// keep processes after its init died), frees what the container holds and
// runs the poststop hooks. A running or paused container has no delete row:
// `delete --force` is the CLI killing it, waiting for the exit, then deleting.
constexpr ActionList kDeleteActions = {kKillAll, kDestroy, kRunPoststopHooks};

// clang-format off
constexpr Transition kTransitions[] = {
    // Create and restore fire on the `creating` container StateStore::Create
    // just made.
    {STATE_CREATING, Event::kCreate, STATE_CREATED,
     {kCreateCgroup, kCreateExecFifo, kCloneInit, kRunPrestartHooks, kRunCreateRuntimeHooks,
      kAwaitInitReady}},
    // CRIU recreates the process tree; as in runc, the prestart hooks run
    // inside kRestore, when CRIU reports the namespaces set up.
    {STATE_CREATING, Event::kRestore, STATE_RUNNING, {kCreateCgroup, kRestore}},
    // A container found `creating` is what a crashed create left behind.
    {STATE_CREATING, Event::kDelete, kRemoved, kDeleteActions},

    {STATE_CREATED, Event::kStart, STATE_RUNNING, {kReleaseExecFifo, kRunPoststartHooks}},
    // Kill never changes the state: the exit is observed later as kExited.
    {STATE_CREATED, Event::kKill, STATE_CREATED, {kSignal}},
    {STATE_CREATED, Event::kExited, STATE_STOPPED, {}},
    {STATE_CREATED, Event::kUpdate, STATE_CREATED, {kUpdateResources}},
    {STATE_CREATED, Event::kExec, STATE_CREATED, {kSpawnExec}},
    // runc deletes a created container: its init, still waiting on the exec
    // fifo, is killed first.
    {STATE_CREATED, Event::kDelete, kRemoved, kDeleteActions},

    {STATE_RUNNING, Event::kPause, STATE_PAUSED, {kFreeze}},
    {STATE_RUNNING, Event::kKill, STATE_RUNNING, {kSignal}},
    {STATE_RUNNING, Event::kExited, STATE_STOPPED, {}},
    {STATE_RUNNING, Event::kUpdate, STATE_RUNNING, {kUpdateResources}},
    {STATE_RUNNING, Event::kExec, STATE_RUNNING, {kSpawnExec}},
    // CRIU ends the processes it dumped. (runc also destroys the container
    // here; Hull keeps it, stopped, until `delete`.)
    {STATE_RUNNING, Event::kCheckpoint, STATE_STOPPED, {kCheckpoint}},
    {STATE_RUNNING, Event::kCheckpointLeaveRunning, STATE_RUNNING, {kCheckpoint}},

    {STATE_PAUSED, Event::kResume, STATE_RUNNING, {kThaw}},
    // As in runc, kSignal thaws the cgroup after a SIGKILL so that the
    // processes can die; any other signal leaves them frozen.
    {STATE_PAUSED, Event::kKill, STATE_PAUSED, {kSignal}},
    {STATE_PAUSED, Event::kExited, STATE_STOPPED, {}},
    {STATE_PAUSED, Event::kUpdate, STATE_PAUSED, {kUpdateResources}},
    // Refused unless asked for (runc's --ignore-paused): kSpawnExec decides.
    {STATE_PAUSED, Event::kExec, STATE_PAUSED, {kSpawnExec}},
    // CRIU dumps a frozen cgroup as it is.
    {STATE_PAUSED, Event::kCheckpoint, STATE_STOPPED, {kCheckpoint}},
    {STATE_PAUSED, Event::kCheckpointLeaveRunning, STATE_PAUSED, {kCheckpoint}},

    // A stopped init may leave processes behind (a container without its
    // own pid namespace): as runc, `kill --all` reaches them; a kill of
    // the init alone says "container not running" (kSignal decides).
    {STATE_STOPPED, Event::kKill, STATE_STOPPED, {kSignal}},
    {STATE_STOPPED, Event::kDelete, kRemoved, kDeleteActions},
};
// clang-format on

}  // namespace

absl::Span<const Transition> Transitions() { return kTransitions; }

const Transition* FindTransition(State from, Event event) {
  for (const Transition& transition : kTransitions) {
    if (transition.from == from && transition.event == event) return &transition;
  }
  return nullptr;
}

std::vector<Event> AllowedEvents(State from) {
  std::vector<Event> allowed;
  for (Event event : kAllEvents) {
    if (FindTransition(from, event) != nullptr) allowed.push_back(event);
  }
  return allowed;
}

absl::string_view StateName(State state) {
  switch (state) {
    case STATE_CREATING: return "creating";
    case STATE_CREATED: return "created";
    case STATE_RUNNING: return "running";
    case STATE_PAUSED: return "paused";
    case STATE_STOPPED: return "stopped";
    default: return "unknown";
  }
}

absl::string_view EventName(Event event) {
  switch (event) {
    case Event::kCreate: return "create";
    case Event::kStart: return "start";
    case Event::kPause: return "pause";
    case Event::kResume: return "resume";
    case Event::kKill: return "kill";
    case Event::kExited: return "exited";
    case Event::kUpdate: return "update";
    case Event::kExec: return "exec";
    case Event::kCheckpoint: return "checkpoint";
    case Event::kCheckpointLeaveRunning: return "checkpoint --leave-running";
    case Event::kRestore: return "restore";
    case Event::kDelete: return "delete";
  }
  return "unknown";
}

absl::string_view ActionName(Action action) {
  switch (action) {
    case kCreateCgroup: return "CreateCgroup";
    case kCreateExecFifo: return "CreateExecFifo";
    case kCloneInit: return "CloneInit";
    case kRunPrestartHooks: return "RunPrestartHooks";
    case kRunCreateRuntimeHooks: return "RunCreateRuntimeHooks";
    case kAwaitInitReady: return "AwaitInitReady";
    case kReleaseExecFifo: return "ReleaseExecFifo";
    case kRunPoststartHooks: return "RunPoststartHooks";
    case kFreeze: return "Freeze";
    case kThaw: return "Thaw";
    case kSignal: return "Signal";
    case kUpdateResources: return "UpdateResources";
    case kSpawnExec: return "SpawnExec";
    case kCheckpoint: return "Checkpoint";
    case kRestore: return "Restore";
    case kKillAll: return "KillAll";
    case kDestroy: return "Destroy";
    case kRunPoststopHooks: return "RunPoststopHooks";
  }
  return "unknown";
}

}  // namespace hull::statemachine
