#include "tools/bench/timed_run.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

extern char** environ;

namespace hull::bench {
namespace {

std::string& MeasuredExec() {
  static std::string* const path = new std::string();
  return *path;
}

}  // namespace

void SetMeasuredExec(std::string path) { MeasuredExec() = std::move(path); }

absl::StatusOr<Spawned> Spawn(const std::vector<std::string>& argv,
                              const std::string& stderr_path) {
  if (argv.empty()) return absl::InvalidArgumentError("timed run: no program");
  if (MeasuredExec().empty()) return absl::FailedPreconditionError("timed run: no measured_exec");
  Spawned spawned = {.program = argv[0], .result_path = absl::StrCat(stderr_path, ".measured")};
  std::vector<char*> c_argv = {MeasuredExec().data(), spawned.result_path.data()};
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

  error = posix_spawn(&spawned.pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("spawn \"", c_argv[0], "\" for \"", argv[0], "\": ", strerror(error)));
  }
  return spawned;
}

absl::StatusOr<Measurement> Wait(const Spawned& spawned) {
  const pid_t pid = spawned.pid;
  int status;
  // A signal handler of the caller (e.g. for Ctrl-C) may interrupt the wait.
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return absl::InternalError(absl::StrCat("waitpid ", pid, ": ", strerror(errno)));
    }
  }
  // "<start ns> <wall ns> <peak RSS KiB> <CPU us>", or nothing when
  // measured_exec failed (it said why on the program's stderr).
  std::ifstream result(spawned.result_path);
  int64_t start_ns, wall_ns, cpu_us;
  long peak_rss_kib;
  if (!(result >> start_ns >> wall_ns >> peak_rss_kib >> cpu_us)) {
    return absl::InternalError(absl::StrCat("measured_exec left no measurement of \"",
                                            spawned.program, "\" in \"", spawned.result_path,
                                            "\" (exit status ",
                                            WIFEXITED(status) ? WEXITSTATUS(status) : -1, ")"));
  }
  result.close();
  unlink(spawned.result_path.c_str());
  return Measurement{
      .start = absl::UnixEpoch() + absl::Nanoseconds(start_ns),
      .wall = absl::Nanoseconds(wall_ns),
      .peak_rss_kib = peak_rss_kib,
      .cpu = absl::Microseconds(cpu_us),
      .exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
  };
}

absl::StatusOr<Measurement> TimedRun(const std::vector<std::string>& argv,
                                     const std::string& stderr_path) {
  ASSIGN_OR_RETURN(Spawned spawned, Spawn(argv, stderr_path));
  return Wait(spawned);
}

}  // namespace hull::bench
