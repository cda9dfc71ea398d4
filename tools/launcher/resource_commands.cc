// The commands on a container's cgroups: pause, resume, update, events.
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "base/status_util.h"
#include "cgroups/memory_events.h"
#include "config/json.h"
#include "runtime/container.h"
#include "base/status_macros.h"
#include "tools/launcher/byte_size.h"
#include "tools/launcher/command.h"
#include "tools/launcher/stats_event.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunPause(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  RETURN_IF_ERROR(container.Pause());
  return 0;
}

absl::StatusOr<int> RunResume(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  RETURN_IF_ERROR(container.Resume());
  return 0;
}

absl::StatusOr<std::string> ReadAll(int fd, const std::string& name) {
  std::string text;
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InvalidArgumentError(absl::StrCat("read ", name, ": ", strerror(errno)));
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

// The flags of `update`, each a field of linux.resources.
absl::Status ApplyUpdateFlags(const ParsedFlags& flags, config::Resources& resources) {
  auto size = [&](const char* flag, auto setter) -> absl::Status {
    if (auto value = flags.Value(flag)) {
      ASSIGN_OR_RETURN(int64_t bytes, ParseByteSize(*value));
      setter(bytes);
    }
    return absl::OkStatus();
  };
  auto number = [&](const char* flag, auto setter) -> absl::Status {
    if (auto value = flags.Value(flag)) {
      int64_t parsed;
      if (!absl::SimpleAtoi(*value, &parsed)) {
        return absl::InvalidArgumentError(absl::StrCat("--", flag, ": not a number: ", *value));
      }
      setter(parsed);
    }
    return absl::OkStatus();
  };
  config::Memory& memory = *resources.mutable_memory();
  config::Cpu& cpu = *resources.mutable_cpu();
  RETURN_IF_ERROR(size("memory", [&](int64_t v) { memory.set_limit(v); }));
  RETURN_IF_ERROR(size("memory-swap", [&](int64_t v) { memory.set_swap(v); }));
  RETURN_IF_ERROR(size("memory-reservation", [&](int64_t v) { memory.set_reservation(v); }));
  RETURN_IF_ERROR(number("cpu-share", [&](int64_t v) { cpu.set_shares(v); }));
  RETURN_IF_ERROR(number("cpu-quota", [&](int64_t v) { cpu.set_quota(v); }));
  RETURN_IF_ERROR(number("cpu-period", [&](int64_t v) { cpu.set_period(v); }));
  RETURN_IF_ERROR(number("cpu-rt-period", [&](int64_t v) { cpu.set_realtime_period(v); }));
  RETURN_IF_ERROR(number("cpu-rt-runtime", [&](int64_t v) { cpu.set_realtime_runtime(v); }));
  if (auto cpus = flags.Value("cpuset-cpus")) cpu.set_cpus(*cpus);
  if (auto mems = flags.Value("cpuset-mems")) cpu.set_mems(*mems);
  RETURN_IF_ERROR(
      number("pids-limit", [&](int64_t v) { resources.mutable_pids()->set_limit(v); }));
  RETURN_IF_ERROR(number("blkio-weight",
                         [&](int64_t v) { resources.mutable_block_io()->set_weight(v); }));
  return absl::OkStatus();
}

absl::StatusOr<int> RunUpdate(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  ASSIGN_OR_RETURN(statemachine::ContainerState state, container.State());
  config::Resources resources = state.config().linux().resources();
  if (auto file = flags.Value("resources")) {
    std::string text;
    if (*file == "-") {
      ASSIGN_OR_RETURN(text, ReadAll(STDIN_FILENO, "stdin"));
    } else {
      UniqueFd fd(::open(file->c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd.valid()) {
        return absl::InvalidArgumentError(absl::StrCat("open ", *file, ": ", strerror(errno)));
      }
      ASSIGN_OR_RETURN(text, ReadAll(fd.get(), *file));
    }
    ASSIGN_OR_RETURN(config::Resources given, config::ParseResourcesJson(text, *file));
    resources.MergeFrom(given);
  }
  RETURN_IF_ERROR(ApplyUpdateFlags(flags, resources));
  RETURN_IF_ERROR(container.Update(resources));
  return 0;
}

// Prints an "oom" line for each OOM of the container's memory cgroup during
// `timeout`. False once the events have ended: the container is gone.
absl::StatusOr<bool> PrintOomEvents(cgroups::MemoryEvents& memory_events, const std::string& id,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (absl::Duration left = timeout; left > absl::ZeroDuration(); left = deadline - absl::Now()) {
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
  runtime::Runtime hull(global.root);
  const std::string& id = flags.positional().front();
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(id));
  absl::Duration interval = absl::Seconds(5);
  if (auto text = flags.Value("interval")) {
    if (!absl::ParseDuration(*text, &interval) || interval <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat("--interval: not a duration: ", *text));
    }
  }
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

Command IdCommand(std::string name, std::string summary,
                  absl::StatusOr<int> (*run)(const GlobalOptions&, const ParsedFlags&)) {
  return {.name = std::move(name),
          .arguments = "<container-id>",
          .summary = std::move(summary),
          .min_args = 1,
          .max_args = 1,
          .run = run};
}

}  // namespace

Command PauseCommand() {
  return IdCommand("pause", "freeze every process of the container", RunPause);
}

Command ResumeCommand() {
  return IdCommand("resume", "thaw a paused container", RunResume);
}

Command UpdateCommand() {
  Command command = IdCommand("update", "change the container's resource limits", RunUpdate);
  command.flags = {
      {.name = "resources", .short_name = "r", .takes_value = true,
       .help = "a linux.resources JSON file, or - for stdin"},
      {.name = "memory", .takes_value = true, .help = "memory limit (bytes, or 64m, 1g)"},
      {.name = "memory-swap", .takes_value = true, .help = "memory plus swap limit"},
      {.name = "memory-reservation", .takes_value = true, .help = "memory soft limit"},
      {.name = "cpu-share", .takes_value = true, .help = "CPU shares (relative weight)"},
      {.name = "cpu-quota", .takes_value = true, .help = "CFS quota in microseconds"},
      {.name = "cpu-period", .takes_value = true, .help = "CFS period in microseconds"},
      {.name = "cpuset-cpus", .takes_value = true, .help = "CPUs allowed (0-3,5)"},
      {.name = "cpuset-mems", .takes_value = true, .help = "memory nodes allowed"},
      {.name = "cpu-rt-period", .takes_value = true, .help = "realtime period in microseconds"},
      {.name = "cpu-rt-runtime", .takes_value = true, .help = "realtime runtime in microseconds"},
      {.name = "pids-limit", .takes_value = true, .help = "maximum number of processes"},
      {.name = "blkio-weight", .takes_value = true, .help = "block IO weight (10 to 1000)"},
  };
  return command;
}

Command EventsCommand() {
  Command command = IdCommand("events", "print the container's stats (and OOM events) as JSON lines",
                              RunEvents);
  command.flags = {
      {.name = "stats", .help = "print the stats once and exit"},
      {.name = "interval", .takes_value = true, .help = "time between stats (default 5s)"},
  };
  return command;
}

}  // namespace hull::launcher
