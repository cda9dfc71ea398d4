// The error of a command the container's state does not allow, worded as
// runc words it first (clients such as containerd and podman match on runc's
// texts, e.g. containerd maps "container not running" of a kill to "process
// already finished"), then Hull's detail: the state and what it allows.
#ifndef HULL_STATEMACHINE_REFUSAL_H_
#define HULL_STATEMACHINE_REFUSAL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "statemachine/state.pb.h"
#include "statemachine/transitions.h"

namespace hull::statemachine {

// Whether `event` is a command (Engine::Fire takes it): create and restore
// make a container, exited is observed by reconciliation.
bool IsCommand(Event event);

// runc's words for refusing `event` in state `from` ("container not
// running", "cannot start a container that has stopped", ...); empty when
// runc has none of its own for that case.
absl::string_view RuncRefusalWords(State from, Event event);

// FailedPrecondition: "<runc's words>: container "ID" is STATE: cannot
// EVENT; allowed: EVENTS" (the detail alone when runc has no words).
absl::Status Refusal(const ContainerState& state, Event event);

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_REFUSAL_H_
