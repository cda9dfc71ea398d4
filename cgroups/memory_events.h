// OOM and memory-pressure notifications of one memory cgroup: one fd to poll,
// and Read to learn what happened.
//
//   ASSIGN_OR_RETURN(auto events, MemoryEvents::ForPaths(manager.Paths()));
//   struct pollfd poll_fd = {.fd = events.fd(), .events = POLLIN};
//   while (poll(&poll_fd, 1, -1) >= 0) {
//     ASSIGN_OR_RETURN(std::vector<MemoryEvent> happened, events.Read());  // OutOfRange: ended
//     ...
//   }
//
// cgroup v1 (and hybrid hosts): eventfds registered through
// cgroup.event_control on memory.oom_control (OOM) and memory.pressure_level
// (pressure), as runc's notify_linux.go does. cgroup v2: memory.events watched
// with inotify (an OOM is an increase of its oom_kill counter), and PSI
// triggers written to memory.pressure. Everything sits behind one epoll fd.
//
// The stream ends when the cgroup is removed. On v2 it also ends when the
// cgroup's last process leaves it (cgroup.events "populated" back to 0): the
// kernel tells nobody about a v2 cgroup's removal, and a container's cgroup
// empties exactly when the container is gone.
#ifndef HULL_CGROUPS_MEMORY_EVENTS_H_
#define HULL_CGROUPS_MEMORY_EVENTS_H_

#include <sys/epoll.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

namespace hull::cgroups {

// memory.pressure_level's levels, mildest first.
enum class PressureLevel { kLow, kMedium, kCritical };

// "low", "medium", "critical", as memory.pressure_level names them.
absl::string_view PressureLevelName(PressureLevel level);

struct MemoryEvent {
  enum class Kind { kOom, kPressure };

  Kind kind = Kind::kOom;
  // kPressure only.
  PressureLevel level = PressureLevel::kLow;
  // How many the kernel counted since the previous Read: OOM kills (v2's
  // oom_kill increase) or eventfd signals (v1); 1 for a PSI trigger.
  uint64_t count = 1;

  friend bool operator==(const MemoryEvent&, const MemoryEvent&) = default;
};

// A cgroup v2 PSI trigger and the pressure level its firing reports.
struct PsiTrigger {
  PressureLevel level = PressureLevel::kMedium;
  // What is written to memory.pressure: "<some|full> <stall µs> <window µs>".
  std::string trigger;
};

struct MemoryEventOptions {
  bool oom = true;
  // Pressure events too: on v1 at each level of memory.pressure_level, on v2
  // from `psi_triggers` (Unimplemented when the kernel has no PSI).
  bool pressure = false;
  // 15% of a second stalled on memory: reclaim is hurting the container.
  std::vector<PsiTrigger> psi_triggers = {{PressureLevel::kMedium, "some 150000 1000000"}};
};

class MemoryEvents {
 public:
  using Options = MemoryEventOptions;

  // Notifications of the v1 memory cgroup `memory_dir`.
  static absl::StatusOr<MemoryEvents> ForV1(const std::string& memory_dir,
                                            const Options& options = {});
  // Notifications of the cgroup v2 directory `unified_dir`.
  static absl::StatusOr<MemoryEvents> ForV2(const std::string& unified_dir,
                                            const Options& options = {});
  // From a Manager's Paths(): the "memory" directory on v1 and hybrid hosts,
  // else the unified one (""). NotFound when there is neither.
  static absl::StatusOr<MemoryEvents> ForPaths(const std::map<std::string, std::string>& paths,
                                               const Options& options = {});

  MemoryEvents(MemoryEvents&&) = default;
  MemoryEvents& operator=(MemoryEvents&&) = default;
  MemoryEvents(const MemoryEvents&) = delete;
  MemoryEvents& operator=(const MemoryEvents&) = delete;

  // Polls readable (POLLIN) when there is something to Read.
  int fd() const { return epoll_.get(); }

  // What happened since the previous Read (empty when nothing did); never
  // blocks. Once the stream has ended: OutOfRange naming the cgroup. On v2
  // the events seen together with the end are returned first; on v1 the
  // kernel's removal signal hides any event counted with it.
  absl::StatusOr<std::vector<MemoryEvent>> Read();

 private:
  enum class SourceType { kEventfd, kInotify, kPsi };
  struct Source {
    SourceType type;
    UniqueFd fd;
    // kEventfd: the control file it is registered on, held so that its
    // reads tell a removed cgroup (ENODEV).
    UniqueFd control;
    MemoryEvent::Kind kind = MemoryEvent::Kind::kOom;
    PressureLevel level = PressureLevel::kLow;
  };

  MemoryEvents(std::string dir, bool v2, bool report_oom, UniqueFd epoll)
      : dir_(std::move(dir)), v2_(v2), report_oom_(report_oom), epoll_(std::move(epoll)) {}
  static absl::StatusOr<MemoryEvents> New(const std::string& dir, bool v2, const Options& options);

  absl::Status Watch(Source source, uint32_t epoll_events);
  absl::Status RegisterEventfd(const std::string& file, absl::string_view argument,
                               MemoryEvent::Kind kind, PressureLevel level);
  absl::Status AddPsiTrigger(const PsiTrigger& trigger);
  absl::Status RefreshV2Counters(std::vector<MemoryEvent>& events, bool cgroup_events_changed);
  absl::StatusOr<std::vector<epoll_event>> Ready();
  absl::StatusOr<std::vector<MemoryEvent>> ReadV1(const std::vector<epoll_event>& ready);
  absl::StatusOr<std::vector<MemoryEvent>> ReadV2(const std::vector<epoll_event>& ready);

  std::string dir_;
  bool v2_;
  bool report_oom_;
  UniqueFd epoll_;
  std::vector<Source> sources_;
  // v2: memory.events and cgroup.events, held open, and what they last said.
  UniqueFd memory_events_;
  UniqueFd cgroup_events_;
  int cgroup_events_watch_ = -1;
  uint64_t oom_kills_ = 0;
  bool populated_ = false;
  bool ended_ = false;
};

// The parsing and counting behind Read (pure).

// The OOM kill counter of a cgroup v2 memory.events: "oom_kill", or "oom"
// on kernels older than oom_kill (4.13).
absl::StatusOr<uint64_t> OomKillCount(absl::string_view memory_events);

// cgroup.events' "populated": whether any process is in the cgroup or below.
absl::StatusOr<bool> IsPopulated(absl::string_view cgroup_events);

// A v1 pressure event signals the eventfds of its level and of every milder
// one: from what the low, medium and critical eventfds counted, the events of
// each level (mildest first, levels that saw none left out).
std::vector<MemoryEvent> PressureEventsFromCounts(uint64_t low, uint64_t medium, uint64_t critical);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_MEMORY_EVENTS_H_
