#include "tools/bench/timed_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

absl::StatusOr<StartGate> StartGate::Create() {
  StartGate gate;
  for (auto [read_end, write_end] : {std::pair{&gate.ready_read_, &gate.ready_write_},
                                     std::pair{&gate.start_read_, &gate.start_write_}}) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
      return absl::InternalError(absl::StrCat("pipe for the start gate: ", strerror(errno)));
    }
    UniqueFd read_fd(ends[0]), write_fd(ends[1]);
    // Above 4, so that the dup2s into measured_exec's 3 and 4 cannot clobber
    // one another.
    read_end->Reset(fcntl(read_fd.get(), F_DUPFD_CLOEXEC, 5));
    write_end->Reset(fcntl(write_fd.get(), F_DUPFD_CLOEXEC, 5));
    if (!read_end->valid() || !write_end->valid()) {
      return absl::InternalError(absl::StrCat("move the start gate's pipe: ", strerror(errno)));
    }
  }
  return gate;
}

absl::Status StartGate::Open(absl::Duration timeout) {
  // Only the spawned measured_execs hold the ready pipe's write end now: it
  // ends once each wrote its byte and closed it, or is gone.
  ready_write_.Reset();
  start_read_.Reset();
  const absl::Time deadline = absl::Now() + timeout;
  absl::Status status;
  char bytes[256];
  while (status.ok()) {
    struct pollfd ready = {.fd = ready_read_.get(), .events = POLLIN, .revents = 0};
    const int left_ms =
        static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    const int polled = poll(&ready, 1, left_ms);
    if (polled < 0 && errno == EINTR) continue;
    if (polled < 0) {
      status = absl::InternalError(absl::StrCat("poll the start gate: ", strerror(errno)));
    } else if (polled == 0) {
      status = absl::DeadlineExceededError(absl::StrCat(
          "the spawned measured_execs did not all reach the start gate within ",
          absl::FormatDuration(timeout)));
    } else if (const ssize_t n = read(ready_read_.get(), bytes, sizeof(bytes)); n == 0) {
      break;
    } else if (n < 0 && errno != EINTR) {
      status = absl::InternalError(absl::StrCat("read the start gate: ", strerror(errno)));
    }
  }
  // Open whatever happened: no measured_exec waits for ever.
  start_write_.Reset();
  return status;
}

absl::StatusOr<Spawned> Spawn(const std::vector<std::string>& argv,
                              const std::string& stderr_path, StartGate* gate) {
  if (argv.empty()) return absl::InvalidArgumentError("timed run: no program");
  if (MeasuredExec().empty()) return absl::FailedPreconditionError("timed run: no measured_exec");
  Spawned spawned = {.program = argv[0], .result_path = absl::StrCat(stderr_path, ".measured")};
  static char kGateFlag[] = "--gate";
  std::vector<char*> c_argv = {MeasuredExec().data()};
  if (gate != nullptr) c_argv.push_back(kGateFlag);
  c_argv.push_back(spawned.result_path.data());
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
  // measured_exec.c's fds 3 and 4.
  if (gate != nullptr) {
    for (auto [from, to] : {std::pair{gate->ready_fd(), 3}, std::pair{gate->start_fd(), 4}}) {
      error = posix_spawn_file_actions_adddup2(&actions, from, to);
      if (error != 0) {
        return absl::InternalError(
            absl::StrCat("posix_spawn_file_actions_adddup2: ", strerror(error)));
      }
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
