// `hull events`: a container's stats as JSON lines every --interval (or once
// with --stats), and an "oom" line for each OOM kill in between, until the
// container stops.
#ifndef HULL_TOOLS_LAUNCHER_EVENTS_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_EVENTS_COMMAND_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

Command EventsCommand();

// --interval: the time between stats lines, 5s unless given; InvalidArgument
// for anything but a positive duration ("1s", "500ms").
absl::StatusOr<absl::Duration> StatsInterval(const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_EVENTS_COMMAND_H_
