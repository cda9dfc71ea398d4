#include "tools/launcher/events_command.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "base/wall_clock.h"
#include "cgroups/memory_events.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/stats_event.h"

namespace hull::launcher {
namespace {

// Prints an "oom" line for each OOM of the container's memory cgroup during
// `timeout`. False once the events have ended: the container is gone.
absl::StatusOr<bool> PrintOomEvents(cgroups::MemoryEvents& memory_events, const std::string& id,
                                    absl::Duration timeout) {
  const absl::Time deadline = WallClockNow() + timeout;
  for (absl::Duration left = timeout; left > absl::ZeroDuration(); left = deadline - WallClockNow()) {
    struct pollfd poll_fd = {.fd = memory_events.fd(), .events = POLLIN, .revents = 0};
    const int64_t timeout_ms = std::min<int64_t>(
        absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1))), INT_MAX);
    const int ready = poll(&poll_fd, 1, static_cast<int>(timeout_ms));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ErrnoStatus("poll the container's memory events");
    if (ready == 0) continue;
    absl::StatusOr<std::vector<cgroups::MemoryEvent>> happened = memory_events.Read();
    if (absl::IsOutOfRange(happened.status())) return false;
    if (!happened.ok()) return happened.status();
    for (const cgroups::MemoryEvent& event : *happened) {
      if (event.kind == cgroups::MemoryEvent::Kind::kOom) {
        ASSIGN_OR_RETURN(std::string line, OomEventLine(id));
        std::cout << line << std::endl;
      }
    }
  }
  return true;
}

absl::StatusOr<int> RunEvents(const GlobalOptions& global, const ParsedFlags& flags) {
  const std::string& id = flags.positional().front();
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, id));
  runtime::Container& container = loaded.container;
  ASSIGN_OR_RETURN(const absl::Duration interval, StatsInterval(flags));
  // OOMs are watched for when events keeps running, as runc does.
  absl::optional<cgroups::MemoryEvents> memory_events;
  if (!flags.IsSet("stats")) {
    ASSIGN_OR_RETURN(memory_events, container.MemoryEvents());
  }
  while (true) {
    ASSIGN_OR_RETURN(cgroups::Stats stats, container.Stats());
    ASSIGN_OR_RETURN(std::string line, StatsEventLine(id, stats));
    std::cout << line << std::endl;
    if (flags.IsSet("stats")) return 0;
    ASSIGN_OR_RETURN(const bool watching, PrintOomEvents(*memory_events, id, interval));
    // Stop with the container, as runc does.
    if (!watching) return 0;
    ASSIGN_OR_RETURN(statemachine::ContainerState state, container.State());
    if (state.status() == statemachine::STATE_STOPPED) return 0;
  }
}

}  // namespace

absl::StatusOr<absl::Duration> StatsInterval(const ParsedFlags& flags) {
  absl::Duration interval = absl::Seconds(5);
  if (auto text = flags.Value("interval")) {
    if (!absl::ParseDuration(*text, &interval) || interval <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat("--interval: not a duration: ", *text));
    }
  }
  return interval;
}

Command EventsCommand() {
  return {.name = "events",
          .arguments = "<container-id>",
          .summary = "print the container's stats (and OOM events) as JSON lines",
          .flags = {{.name = "stats", .help = "print the stats once and exit"},
                    {.name = "interval", .takes_value = true,
                     .help = "time between stats (default 5s)"}},
          .min_args = 1,
          .max_args = 1,
          .run = RunEvents};
}

}  // namespace hull::launcher
