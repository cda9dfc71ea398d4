#include "statemachine/refusal.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hull::statemachine {

bool IsCommand(Event event) {
  return event != Event::kCreate && event != Event::kRestore && event != Event::kExited;
}

absl::string_view RuncRefusalWords(State from, Event event) {
  switch (event) {
    case Event::kStart:
      if (from == STATE_STOPPED) return "cannot start a container that has stopped";
      if (from == STATE_RUNNING || from == STATE_PAUSED) {
        return "cannot start an already running container";
      }
      return "";
    case Event::kExec:
      if (from == STATE_STOPPED) return "cannot exec in a stopped container";
      return "";
    case Event::kResume:
      return "container not paused";
    case Event::kKill:
    case Event::kPause:
    case Event::kUpdate:
    case Event::kCheckpoint:
    case Event::kCheckpointLeaveRunning:
      return "container not running";
    case Event::kDelete:
      return "cannot delete container that is not stopped";
    default:
      return "";
  }
}

absl::Status Refusal(const ContainerState& state, Event event) {
  std::vector<absl::string_view> allowed;
  for (Event candidate : AllowedEvents(state.status())) {
    if (IsCommand(candidate)) allowed.push_back(EventName(candidate));
  }
  std::string message = absl::StrCat(
      "container \"", state.id(), "\" is ", StateName(state.status()), ": cannot ",
      EventName(event), "; allowed: ", allowed.empty() ? "none" : absl::StrJoin(allowed, ", "));
  const absl::string_view words = RuncRefusalWords(state.status(), event);
  if (!words.empty()) message = absl::StrCat(words, ": ", message);
  return absl::FailedPreconditionError(message);
}

}  // namespace hull::statemachine
