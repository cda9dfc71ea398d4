// The container lifecycle as data: which events each state allows, the state
// each leads to and the actions it performs. The table itself is in
// transitions.cc.
#ifndef HULL_STATEMACHINE_TRANSITIONS_H_
#define HULL_STATEMACHINE_TRANSITIONS_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "statemachine/lifecycle_state.pb.h"

namespace hull::statemachine {

// Something that happens to a container: a command asks for it or, for
// kExited, Hull observes it.
enum class Event {
  kCreate,
  kStart,
  kPause,
  kResume,
  kKill,
  kExited,
  kUpdate,
  kExec,
  kCheckpoint,
  // A checkpoint that leaves the container as it was (--leave-running,
  // --pre-dump): its own event, since its row keeps the state.
  kCheckpointLeaveRunning,
  kRestore,
  kDelete,
};

// One step of a transition, performed through `Actions` (actions.h). Per-call
// parameters (signal, resources, checkpoint image) belong to the `Actions`
// object. Hooks are named after the OCI runtime spec's hook kinds.
enum class Action {
  kCreateCgroup,    // makes the cgroups and applies the resources
  kCreateExecFifo,  // the fifo the init waits on until `start`
  kCloneInit,       // the init sets itself up until its hooks are due
  kRunPrestartHooks,
  kRunCreateRuntimeHooks,
  // Lets the init go on past the runtime's hooks (it runs the
  // createContainer hooks itself, in the container's namespaces) and waits
  // until it reports itself ready.
  kAwaitInitReady,
  // Starts the user's process: the init, waiting on the exec fifo, runs the
  // startContainer hooks and execs it.
  kReleaseExecFifo,
  kRunPoststartHooks,
  kFreeze,
  kThaw,
  kSignal,
  kUpdateResources,
  kSpawnExec,
  kCheckpoint,
  kRestore,
  kKillAll,  // kills every process of the container, waits for them
  kDestroy,  // removes cgroups and whatever else the container holds
  kRunPoststopHooks,
};

inline constexpr std::array<State, 5> kAllStates = {STATE_CREATING, STATE_CREATED, STATE_RUNNING,
                                                    STATE_PAUSED, STATE_STOPPED};

inline constexpr std::array<Event, 12> kAllEvents = {
    Event::kCreate,     Event::kStart,   Event::kPause,  Event::kResume,
    Event::kKill,       Event::kExited,  Event::kUpdate, Event::kExec,
    Event::kCheckpoint, Event::kCheckpointLeaveRunning, Event::kRestore, Event::kDelete};

// The ordered actions of one transition. Fixed capacity, so that the table
// can be a constant array; a longer list fails to compile.
class ActionList {
 public:
  static constexpr std::size_t kCapacity = 8;

  consteval ActionList(std::initializer_list<Action> actions) : size_(actions.size()) {
    std::copy(actions.begin(), actions.end(), actions_.begin());
  }

  absl::Span<const Action> span() const { return absl::MakeConstSpan(actions_.data(), size_); }

 private:
  std::array<Action, kCapacity> actions_{};
  std::size_t size_;
};

// One allowed (state, event) pair.
struct Transition {
  State from;
  Event event;
  // The state once every action succeeded; none when the transition deletes
  // the container (its state directory is removed).
  std::optional<State> to;
  ActionList actions;
};

// Every allowed transition. A (state, event) pair not listed is refused.
absl::Span<const Transition> Transitions();

// The row for (`from`, `event`), or nullptr when the pair is refused.
const Transition* FindTransition(State from, Event event);

// The events `from` allows, in kAllEvents order.
std::vector<Event> AllowedEvents(State from);

// Lower-case names as runc spells them ("created", "checkpoint").
absl::string_view StateName(State state);
absl::string_view EventName(Event event);
// The enumerator without its k ("CloneInit").
absl::string_view ActionName(Action action);

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_TRANSITIONS_H_
