// Runs one program to completion and measures it: wall time, CPU time and the
// peak resident set of its process tree.
#ifndef HULL_TOOLS_BENCH_TIMED_RUN_H_
#define HULL_TOOLS_BENCH_TIMED_RUN_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/fd.h"

namespace hull::bench {

// Every program runs as the child of measured_exec (measured_exec.c says
// why), which reports what it measured of it. Set its path once, first.
void SetMeasuredExec(std::string path);

struct Measurement {
  // When measured_exec forked (CLOCK_MONOTONIC, comparable across runs).
  absl::Time start;
  // From just before measured_exec's fork to the return of its wait4
  // (CLOCK_MONOTONIC).
  absl::Duration wall;
  // ru_maxrss of wait4: the largest resident set any one process of the tree
  // reached (the program, or a descendant it waited for), in KiB; what the
  // program exec'd from is the small measured_exec.
  long peak_rss_kib = 0;
  // ru_utime + ru_stime of wait4: the CPU time of the program and of every
  // descendant it waited for (a runtime's helpers, the container's process
  // when the runtime reaps it).
  absl::Duration cpu;
  // The exit code, or 128 + the signal number if a signal killed it.
  int exit_code = 0;
};

// Spawns argv[0] (an absolute path) with argv and the current environment,
// stdin and stdout on /dev/null and stderr into the file `stderr_path`
// (truncated), and waits for it. Fails only if it cannot spawn, wait or
// measure: a program that fails is a Measurement with its exit code.
absl::StatusOr<Measurement> TimedRun(const std::vector<std::string>& argv,
                                     const std::string& stderr_path);

// Holds the programs spawned through it until Open, so that runs spawned
// one after the other start together: each one's measured_exec starts
// (loads, links: about a millisecond of CPU on this host), says so, and
// waits at the gate; Open waits for them all, then lets them go at once.
// Without it the runs would start as fast as the caller can spawn them, and
// the first ones would share the machine with the start of the later ones'
// measured_exec.
class StartGate {
 public:
  static absl::StatusOr<StartGate> Create();

  // The ends a gated measured_exec gets as its fds 3 and 4 (measured_exec.c).
  int ready_fd() const { return ready_write_.get(); }
  int start_fd() const { return start_read_.get(); }

  // Waits until every measured_exec spawned through the gate is at it (or
  // gone), for at most `timeout`, then opens it. Call it once, after the
  // last Spawn; dropping the gate unopened opens it too.
  absl::Status Open(absl::Duration timeout = absl::Seconds(60));

 private:
  StartGate() = default;

  // Each measured_exec writes a byte to the ready pipe and closes it.
  UniqueFd ready_read_, ready_write_;
  // Closing start_write_ opens the gate.
  UniqueFd start_read_, start_write_;
};

// TimedRun in two halves, for programs that run at the same time: Spawn
// starts one as TimedRun does (held at `gate` until it opens, when given),
// Wait waits for it and measures from `start`.
struct Spawned {
  pid_t pid = -1;
  std::string program;
  // Where measured_exec writes what it measured.
  std::string result_path;
};
absl::StatusOr<Spawned> Spawn(const std::vector<std::string>& argv,
                              const std::string& stderr_path, StartGate* gate = nullptr);
absl::StatusOr<Measurement> Wait(const Spawned& spawned);

}  // namespace hull::bench

#endif  // HULL_TOOLS_BENCH_TIMED_RUN_H_
