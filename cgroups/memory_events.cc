#include "cgroups/memory_events.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/stat_files.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

// At most: OOM plus three pressure levels (v1); inotify plus the PSI triggers
// a caller asks for (v2).
constexpr int kMaxReady = 16;

constexpr PressureLevel kLevels[] = {PressureLevel::kLow, PressureLevel::kMedium,
                                     PressureLevel::kCritical};

absl::StatusOr<UniqueFd> Open(const std::string& path, int flags) {
  UniqueFd fd(open(path.c_str(), flags | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return fd;
}

// The whole of a control file held open. A file of a removed cgroup reads
// ENODEV: NotFound "<path>: the cgroup was removed".
absl::StatusOr<std::string> ReadHeld(int fd, const std::string& path) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = pread(fd, buffer, sizeof(buffer), static_cast<off_t>(text.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ENODEV) {
      return absl::NotFoundError(absl::StrCat(path, ": the cgroup was removed"));
    }
    if (n < 0) return ErrnoStatus("read ", path);
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

bool CgroupRemoved(const absl::Status& status) { return absl::IsNotFound(status); }

}  // namespace

absl::string_view PressureLevelName(PressureLevel level) {
  switch (level) {
    case PressureLevel::kLow:
      return "low";
    case PressureLevel::kMedium:
      return "medium";
    case PressureLevel::kCritical:
      return "critical";
  }
  return "unknown";
}

absl::StatusOr<uint64_t> OomKillCount(absl::string_view memory_events) {
  ASSIGN_OR_RETURN(const auto values, ParseKeyValues(memory_events, "memory.events"));
  for (const char* key : {"oom_kill", "oom"}) {
    if (auto it = values.find(key); it != values.end()) return it->second;
  }
  return absl::DataLossError("malformed memory.events: no \"oom_kill\" nor \"oom\" counter");
}

absl::StatusOr<bool> IsPopulated(absl::string_view cgroup_events) {
  ASSIGN_OR_RETURN(const auto values, ParseKeyValues(cgroup_events, "cgroup.events"));
  auto it = values.find("populated");
  if (it == values.end()) {
    return absl::DataLossError("malformed cgroup.events: no \"populated\" line");
  }
  return it->second != 0;
}

std::vector<MemoryEvent> PressureEventsFromCounts(uint64_t low, uint64_t medium,
                                                  uint64_t critical) {
  // The eventfds are read one after the other while the kernel may signal
  // them: a milder count can lag behind a harder one, hence the clamps.
  const auto above = [](uint64_t count, uint64_t harder) {
    return count > harder ? count - harder : 0;
  };
  const uint64_t counts[] = {above(low, medium), above(medium, critical), critical};
  std::vector<MemoryEvent> events;
  for (PressureLevel level : kLevels) {
    const uint64_t count = counts[static_cast<int>(level)];
    if (count > 0) {
      events.push_back({.kind = MemoryEvent::Kind::kPressure, .level = level, .count = count});
    }
  }
  return events;
}

absl::StatusOr<MemoryEvents> MemoryEvents::New(const std::string& dir, bool v2,
                                               const Options& options) {
  if (!options.oom && !options.pressure) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory events of ", dir, ": neither OOM nor pressure events asked for"));
  }
  UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll.valid()) return ErrnoStatus("epoll_create1");
  return MemoryEvents(dir, v2, options.oom, std::move(epoll));
}

absl::Status MemoryEvents::Watch(Source source, uint32_t epoll_events) {
  if (sources_.size() >= kMaxReady) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory events of ", dir_, ": more than ", kMaxReady, " sources"));
  }
  epoll_event event = {.events = epoll_events,
                       .data = {.u32 = static_cast<uint32_t>(sources_.size())}};
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, source.fd.get(), &event) != 0) {
    return ErrnoStatus("epoll_ctl ADD for ", dir_);
  }
  sources_.push_back(std::move(source));
  return absl::OkStatus();
}

absl::Status MemoryEvents::RegisterEventfd(const std::string& file, absl::string_view argument,
                                           MemoryEvent::Kind kind, PressureLevel level) {
  const std::string path = absl::StrCat(dir_, "/", file);
  ASSIGN_OR_RETURN(UniqueFd control, Open(path, O_RDONLY));
  UniqueFd eventfd_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!eventfd_fd.valid()) return ErrnoStatus("eventfd");
  // "<eventfd> <fd of the file> [argument]" (cgroup-v1/memory.rst).
  std::string registration = absl::StrCat(eventfd_fd.get(), " ", control.get());
  if (!argument.empty()) absl::StrAppend(&registration, " ", argument);
  RETURN_IF_ERROR(
      LinuxCgroupFs().WriteFile(absl::StrCat(dir_, "/cgroup.event_control"), registration));
  return Watch({.type = SourceType::kEventfd,
                .fd = std::move(eventfd_fd),
                .control = std::move(control),
                .kind = kind,
                .level = level},
               EPOLLIN);
}

absl::StatusOr<MemoryEvents> MemoryEvents::ForV1(const std::string& memory_dir,
                                                 const Options& options) {
  ASSIGN_OR_RETURN(MemoryEvents events, New(memory_dir, /*v2=*/false, options));
  if (options.oom) {
    RETURN_IF_ERROR(events.RegisterEventfd("memory.oom_control", "", MemoryEvent::Kind::kOom,
                                           PressureLevel::kLow));
  }
  if (options.pressure) {
    // One eventfd per level: a level's eventfd counts the events of that
    // level and of every harder one (PressureEventsFromCounts).
    for (PressureLevel level : kLevels) {
      RETURN_IF_ERROR(events.RegisterEventfd("memory.pressure_level", PressureLevelName(level),
                                             MemoryEvent::Kind::kPressure, level));
    }
  }
  return events;
}

absl::Status MemoryEvents::AddPsiTrigger(const PsiTrigger& trigger) {
  const std::string path = dir_ + "/memory.pressure";
  absl::StatusOr<UniqueFd> fd = Open(path, O_RDWR | O_NONBLOCK);
  if (absl::IsNotFound(fd.status())) {
    return absl::UnimplementedError(
        absl::StrCat(fd.status().message(), ": the kernel has no PSI (CONFIG_PSI, psi=1)"));
  }
  if (!fd.ok()) return fd.status();
  ssize_t written;
  do {
    written = write(fd->get(), trigger.trigger.data(), trigger.trigger.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) {
    const int error = errno;
    const std::string what = absl::StrCat("write \"", trigger.trigger, "\" to ", path);
    if (error == EOPNOTSUPP) {
      return absl::UnimplementedError(absl::StrCat(what, ": PSI triggers are not supported"));
    }
    return absl::ErrnoToStatus(error, what);
  }
  // A trigger's poll reports EPOLLPRI once per firing and clears it, so the
  // caller's poll of our epoll fd (the kernel polls the ready items of a
  // polled epoll) would eat it before Read sees it. Edge-triggered on
  // EPOLLIN, which the trigger's poll always reports, the item instead shows
  // up in our epoll exactly once per wakeup of the trigger: one firing.
  return Watch({.type = SourceType::kPsi,
                .fd = *std::move(fd),
                .kind = MemoryEvent::Kind::kPressure,
                .level = trigger.level},
               EPOLLIN | EPOLLPRI | EPOLLET);
}

absl::StatusOr<MemoryEvents> MemoryEvents::ForV2(const std::string& unified_dir,
                                                 const Options& options) {
  ASSIGN_OR_RETURN(MemoryEvents events, New(unified_dir, /*v2=*/true, options));
  const std::string memory_events = unified_dir + "/memory.events";
  const std::string cgroup_events = unified_dir + "/cgroup.events";
  ASSIGN_OR_RETURN(events.memory_events_, Open(memory_events, O_RDONLY));
  ASSIGN_OR_RETURN(events.cgroup_events_, Open(cgroup_events, O_RDONLY));

  UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify.valid()) return ErrnoStatus("inotify_init1");
  const auto watch = [&](const std::string& path) -> absl::StatusOr<int> {
    const int watch = inotify_add_watch(inotify.get(), path.c_str(), IN_MODIFY);
    if (watch < 0) return ErrnoStatus("inotify_add_watch ", path);
    return watch;
  };
  RETURN_IF_ERROR(watch(memory_events).status());
  ASSIGN_OR_RETURN(events.cgroup_events_watch_, watch(cgroup_events));
  // Watched before the first read, so that no change falls in between.
  RETURN_IF_ERROR(events.Watch({.type = SourceType::kInotify, .fd = std::move(inotify)}, EPOLLIN));
  std::vector<MemoryEvent> ignored;
  RETURN_IF_ERROR(events.RefreshV2Counters(ignored, /*cgroup_events_changed=*/false));
  if (events.ended_) {
    return absl::NotFoundError(absl::StrCat(unified_dir, ": the cgroup was removed"));
  }

  if (options.pressure) {
    for (const PsiTrigger& trigger : options.psi_triggers) {
      RETURN_IF_ERROR(events.AddPsiTrigger(trigger));
    }
    // Adding an edge-triggered item reports it once at once: drop that.
    RETURN_IF_ERROR(events.Ready().status());
  }
  return events;
}

absl::StatusOr<MemoryEvents> MemoryEvents::ForPaths(const std::map<std::string, std::string>& paths,
                                                    const Options& options) {
  if (auto it = paths.find("memory"); it != paths.end()) return ForV1(it->second, options);
  if (auto it = paths.find(""); it != paths.end()) return ForV2(it->second, options);
  return absl::NotFoundError("the container has no memory cgroup");
}

absl::StatusOr<std::vector<epoll_event>> MemoryEvents::Ready() {
  epoll_event ready[kMaxReady];
  int n;
  do {
    n = epoll_wait(epoll_.get(), ready, kMaxReady, /*timeout=*/0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoStatus("epoll_wait for ", dir_);
  return std::vector<epoll_event>(ready, ready + n);
}

absl::StatusOr<std::vector<MemoryEvent>> MemoryEvents::Read() {
  if (!ended_) {
    ASSIGN_OR_RETURN(const std::vector<epoll_event> ready, Ready());
    ASSIGN_OR_RETURN(std::vector<MemoryEvent> events, v2_ ? ReadV2(ready) : ReadV1(ready));
    if (!ended_ || !events.empty()) return events;
  }
  return absl::OutOfRangeError(absl::StrCat("memory events of ", dir_, ": the cgroup is gone"));
}

absl::StatusOr<std::vector<MemoryEvent>> MemoryEvents::ReadV1(
    const std::vector<epoll_event>& ready) {
  std::vector<MemoryEvent> events;
  uint64_t pressure[std::size(kLevels)] = {};
  for (const epoll_event& event : ready) {
    Source& source = sources_[event.data.u32];
    uint64_t count;
    ssize_t n;
    do {
      n = read(source.fd.get(), &count, sizeof(count));
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) continue;
    if (n != sizeof(count)) return ErrnoStatus("read eventfd");
    // The kernel signals every eventfd of a cgroup it removes: that is no
    // event, and the control file tells (as runc checks cgroup.event_control).
    // An event counted together with the removal cannot be told apart.
    char byte;
    if (pread(source.control.get(), &byte, 1, 0) < 0 && errno == ENODEV) {
      ended_ = true;
      continue;
    }
    if (source.kind == MemoryEvent::Kind::kOom) {
      events.push_back({.kind = MemoryEvent::Kind::kOom, .count = count});
    } else {
      pressure[static_cast<int>(source.level)] += count;
    }
  }
  if (ended_) return std::vector<MemoryEvent>();
  for (const MemoryEvent& event : PressureEventsFromCounts(pressure[0], pressure[1], pressure[2])) {
    events.push_back(event);
  }
  return events;
}

absl::Status MemoryEvents::RefreshV2Counters(std::vector<MemoryEvent>& events,
                                             bool cgroup_events_changed) {
  const absl::StatusOr<std::string> memory_events =
      ReadHeld(memory_events_.get(), dir_ + "/memory.events");
  if (CgroupRemoved(memory_events.status())) {
    ended_ = true;
    return absl::OkStatus();
  }
  if (!memory_events.ok()) return memory_events.status();
  ASSIGN_OR_RETURN(const uint64_t oom_kills, OomKillCount(*memory_events));
  if (oom_kills > oom_kills_ && report_oom_) {
    events.push_back({.kind = MemoryEvent::Kind::kOom, .count = oom_kills - oom_kills_});
  }
  oom_kills_ = oom_kills;

  const absl::StatusOr<std::string> cgroup_events =
      ReadHeld(cgroup_events_.get(), dir_ + "/cgroup.events");
  if (CgroupRemoved(cgroup_events.status())) {
    ended_ = true;
    return absl::OkStatus();
  }
  if (!cgroup_events.ok()) return cgroup_events.status();
  ASSIGN_OR_RETURN(const bool populated, IsPopulated(*cgroup_events));
  // Empty now, and it had processes: when we last looked, or since (a
  // process may join and leave between two Reads; a change of an empty
  // cgroup's "frozen" ends the stream too, harmlessly).
  if (!populated && (populated_ || cgroup_events_changed)) ended_ = true;
  populated_ = populated;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MemoryEvent>> MemoryEvents::ReadV2(
    const std::vector<epoll_event>& ready) {
  std::vector<MemoryEvent> pressure;
  bool cgroup_events_changed = false;
  for (const epoll_event& event : ready) {
    Source& source = sources_[event.data.u32];
    if (source.type == SourceType::kPsi) {
      // A trigger of a removed cgroup reports EPOLLERR: the counters tell.
      if ((event.events & EPOLLERR) == 0) {
        pressure.push_back({.kind = MemoryEvent::Kind::kPressure, .level = source.level});
      }
      continue;
    }
    // inotify: which file changed; what changed is read below.
    alignas(inotify_event) char buffer[4096];
    ssize_t n;
    while ((n = read(source.fd.get(), buffer, sizeof(buffer))) > 0) {
      for (ssize_t offset = 0; offset + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
        const auto* change = reinterpret_cast<const inotify_event*>(buffer + offset);
        if (change->wd == cgroup_events_watch_) cgroup_events_changed = true;
        offset += static_cast<ssize_t>(sizeof(inotify_event) + change->len);
      }
    }
  }
  // Both files are read on every Read: the kernel rate-limits their
  // notifications, so memory.events may be told after cgroup.events.
  std::vector<MemoryEvent> events;
  RETURN_IF_ERROR(RefreshV2Counters(events, cgroup_events_changed));
  events.insert(events.end(), pressure.begin(), pressure.end());
  return events;
}

}  // namespace hull::cgroups
