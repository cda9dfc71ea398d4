// /proc/<pid>/stat: the fields Hull uses to tell a process from a later one
// that reuses its pid, and to tell a slow process from a stuck one.
#ifndef HULL_BASE_PROC_STAT_H_
#define HULL_BASE_PROC_STAT_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull {

// The fields of /proc/<pid>/stat Hull uses.
struct ProcStat {
  char state;           // field 3: R, S, D, Z, X, ...
  uint64_t utime;       // field 14: clock ticks in user mode
  uint64_t stime;       // field 15: clock ticks in kernel mode
  int num_threads;      // field 20
  uint64_t start_time;  // field 22: clock ticks after boot
};

// Parses the contents of a /proc/<pid>/stat file. The comm field (2) may hold
// spaces and ')', so the fields after it are found from the last ')'.
absl::StatusOr<ProcStat> ParseProcStat(absl::string_view contents);

// Reads /proc/<pid>/stat; NotFound when there is no such process.
absl::StatusOr<ProcStat> ReadProcStat(pid_t pid);

}  // namespace hull

#endif  // HULL_BASE_PROC_STAT_H_
