#include "tools/bench/timed_run.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <tuple>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

extern char** environ;

namespace hull::bench {
namespace {

absl::Time MonotonicNow() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return absl::TimeFromTimespec(now);
}

}  // namespace

absl::StatusOr<Spawned> Spawn(const std::vector<std::string>& argv,
                              const std::string& stderr_path) {
  if (argv.empty()) return absl::InvalidArgumentError("timed run: no program");
  std::vector<char*> c_argv;
  for (const std::string& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  int error = posix_spawn_file_actions_init(&actions);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("posix_spawn_file_actions_init: ", strerror(error)));
  }
  absl::Cleanup destroy_actions = [&actions] { posix_spawn_file_actions_destroy(&actions); };
  for (auto [fd, path, flags] :
       {std::tuple{0, "/dev/null", O_RDONLY}, std::tuple{1, "/dev/null", O_WRONLY},
        std::tuple{2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC}}) {
    error = posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0644);
    if (error != 0) {
      return absl::InternalError(
          absl::StrCat("posix_spawn_file_actions_addopen \"", path, "\": ", strerror(error)));
    }
  }

  Spawned spawned = {.start = MonotonicNow()};
  error = posix_spawn(&spawned.pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("spawn \"", argv[0], "\": ", strerror(error)));
  }
  return spawned;
}

absl::StatusOr<Measurement> Wait(const Spawned& spawned) {
  const pid_t pid = spawned.pid;
  int status;
  struct rusage usage;
  // A signal handler of the caller (e.g. for Ctrl-C) may interrupt the wait.
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      return absl::InternalError(absl::StrCat("wait4 ", pid, ": ", strerror(errno)));
    }
  }
  const absl::Time end = MonotonicNow();
  return Measurement{
      .wall = end - spawned.start,
      .peak_rss_kib = usage.ru_maxrss,
      .cpu = absl::DurationFromTimeval(usage.ru_utime) + absl::DurationFromTimeval(usage.ru_stime),
      .exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
  };
}

absl::StatusOr<Measurement> TimedRun(const std::vector<std::string>& argv,
                                     const std::string& stderr_path) {
  ASSIGN_OR_RETURN(Spawned spawned, Spawn(argv, stderr_path));
  return Wait(spawned);
}

}  // namespace hull::bench
