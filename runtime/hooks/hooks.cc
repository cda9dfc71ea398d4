#include "runtime/hooks/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "base/poll_timeout.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "base/wall_clock.h"
#include "glog/logging.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"
#include "runtime/process/close_fds.h"
#include "runtime/process/executable.h"
#include "runtime/process/signals.h"

namespace hull::hooks {
namespace {

// Of each output stream, what an error shows at most: its end.
constexpr size_t kKeptOutputBytes = 16 * 1024;

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

absl::StatusOr<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Writes all of `state` into the hook's stdin pipe before the hook runs (so
// that no write can block on, or be killed by SIGPIPE from, a hook that does
// not read it), growing the pipe when the state is larger than it holds.
absl::Status FillStdin(const Pipe& stdin_pipe, absl::string_view state) {
  const int capacity = fcntl(stdin_pipe.write.get(), F_GETPIPE_SZ);
  if (capacity < 0) return ErrnoStatus("fcntl(F_GETPIPE_SZ) on the hook's stdin");
  if (state.size() > static_cast<size_t>(capacity) &&
      fcntl(stdin_pipe.write.get(), F_SETPIPE_SZ, static_cast<int>(state.size())) < 0) {
    return ErrnoStatus("grow the hook's stdin pipe to the state's ", state.size(), " bytes");
  }
  while (!state.empty()) {
    const ssize_t written = write(stdin_pipe.write.get(), state.data(), state.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return ErrnoStatus("write the state to the hook's stdin");
    state.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

// Why the child did not exec, sent to the parent over a close-on-exec pipe
// (which an exec closes with nothing written).
struct ChildFailure {
  enum Stage : int { kSetUp, kChdir, kExec } stage;
  int error;
};

// What the child uses, made before the clone: the child may not allocate
// (another thread of the caller may have held the allocator's lock at the
// clone).
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  const char* working_directory;  // nullptr: the caller's
  int stdio[3];
  int failure_pipe;
};

[[noreturn]] void ReportAndExit(ChildFailure::Stage stage, int error, int failure_pipe) {
  const ChildFailure failure = {.stage = stage, .error = error};
  (void)!write(failure_pipe, &failure, sizeof(failure));
  _exit(127);
}

// The hook's side of the clone: stdio from the pipes, no other fd, default
// signal state, then the exec. System calls only.
[[noreturn]] void RunChild(const ChildPlan& plan) {
  // Everything to fd 4 and up first: a pipe's fd may be one of 0..3, the
  // numbers they go to.
  const int sources[4] = {plan.stdio[0], plan.stdio[1], plan.stdio[2], plan.failure_pipe};
  int moved[4];
  for (int i = 0; i < 4; ++i) {
    moved[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, 4);
    if (moved[i] < 0) ReportAndExit(ChildFailure::kSetUp, errno, plan.failure_pipe);
  }
  constexpr int kFailurePipe = 3;
  for (int fd = 0; fd < 3; ++fd) {
    if (dup2(moved[fd], fd) < 0) ReportAndExit(ChildFailure::kSetUp, errno, moved[3]);
  }
  if (dup3(moved[3], kFailurePipe, O_CLOEXEC) < 0) {
    ReportAndExit(ChildFailure::kSetUp, errno, moved[3]);
  }
  if (!process::CloseFdsFrom(kFailurePipe + 1, {}).ok()) {
    ReportAndExit(ChildFailure::kSetUp, errno, kFailurePipe);
  }
  if (!process::ResetSignals().ok()) ReportAndExit(ChildFailure::kSetUp, errno, kFailurePipe);
  if (plan.working_directory != nullptr && chdir(plan.working_directory) != 0) {
    ReportAndExit(ChildFailure::kChdir, errno, kFailurePipe);
  }
  execve(plan.path, plan.argv, plan.envp);
  ReportAndExit(ChildFailure::kExec, errno, kFailurePipe);
}

absl::Status ChildFailureStatus(const ChildFailure& failure, const config::Hook& hook,
                                const RunOptions& options) {
  const absl::StatusCode code = absl::ErrnoToStatusCode(failure.error);
  const std::string why = process::GoErrnoText(failure.error);
  switch (failure.stage) {
    case ChildFailure::kExec:
      return absl::Status(code, absl::StrCat("fork/exec ", hook.path(), ": ", why));
    case ChildFailure::kChdir:
      return absl::Status(code, absl::StrCat("chdir ", options.working_directory, ": ", why));
    case ChildFailure::kSetUp:
      break;
  }
  return absl::Status(code, absl::StrCat("set up the process of hook ", hook.path(), ": ", why));
}

// One output stream of the hook: what an error shows of it.
class Output {
 public:
  explicit Output(UniqueFd fd) : fd_(std::move(fd)) {}

  bool open() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }

  // Reads what the pipe holds now (its read end is non-blocking); closes it
  // at its end.
  absl::Status Drain() {
    char buffer[4096];
    while (fd_.valid()) {
      const ssize_t n = read(fd_.get(), buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return absl::OkStatus();
      if (n < 0) return ErrnoStatus("read the hook's output");
      if (n == 0) {
        fd_.Reset();
        break;
      }
      kept_.append(buffer, static_cast<size_t>(n));
      if (kept_.size() > 2 * kKeptOutputBytes) Trim();
    }
    return absl::OkStatus();
  }

  std::string Text() {
    Trim();
    if (dropped_ == 0) return kept_;
    return absl::StrCat("[", dropped_, " bytes before] ", kept_);
  }

 private:
  void Trim() {
    if (kept_.size() <= kKeptOutputBytes) return;
    const size_t excess = kept_.size() - kKeptOutputBytes;
    kept_.erase(0, excess);
    dropped_ += excess;
  }

  UniqueFd fd_;
  std::string kept_;
  size_t dropped_ = 0;
};

absl::Status MakeNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoStatus("fcntl(O_NONBLOCK) on the hook's output");
  }
  return absl::OkStatus();
}

// Go's ProcessState.String(), which runc's error shows.
std::string GoExitText(const nsenter::ExitStatus& exit) {
  if (!exit.signaled) return absl::StrCat("exit status ", exit.code);
  const char* description = sigdescr_np(exit.code);
  if (description == nullptr) return absl::StrCat("signal: signal ", exit.code);
  std::string text = description;
  if (!text.empty()) text[0] = absl::ascii_tolower(text[0]);
  return absl::StrCat("signal: ", text);
}

std::vector<char*> NullTerminated(const google::protobuf::RepeatedPtrField<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& string : strings) pointers.push_back(const_cast<char*>(string.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

absl::Status HookError(absl::string_view kind, int index, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("error running ", kind, " hook #", index, ": ",
                                                  status.message()));
}

}  // namespace

absl::Status RunHook(const config::Hook& hook, absl::string_view state, const RunOptions& options) {
  std::vector<char*> argv = NullTerminated(hook.args());
  if (hook.args().empty()) argv.insert(argv.begin(), const_cast<char*>(hook.path().c_str()));
  const std::vector<char*> envp = NullTerminated(hook.env());

  ASSIGN_OR_RETURN(Pipe stdin_pipe, MakePipe());
  RETURN_IF_ERROR(FillStdin(stdin_pipe, state));
  stdin_pipe.write.Reset();
  ASSIGN_OR_RETURN(Pipe stdout_pipe, MakePipe());
  ASSIGN_OR_RETURN(Pipe stderr_pipe, MakePipe());
  ASSIGN_OR_RETURN(Pipe failure_pipe, MakePipe());
  RETURN_IF_ERROR(MakeNonBlocking(stdout_pipe.read.get()));
  RETURN_IF_ERROR(MakeNonBlocking(stderr_pipe.read.get()));
  const ChildPlan plan = {
      .path = hook.path().c_str(),
      .argv = argv.data(),
      .envp = envp.data(),
      .working_directory =
          options.working_directory.empty() ? nullptr : options.working_directory.c_str(),
      .stdio = {stdin_pipe.read.get(), stdout_pipe.write.get(), stderr_pipe.write.get()},
      .failure_pipe = failure_pipe.write.get(),
  };

  // Blocked around the clone, so that no handler of the caller's runs in the
  // child before it resets them all.
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  if (sigprocmask(SIG_SETMASK, &all, &old) != 0) return ErrnoStatus("block signals");
  nsenter::LinuxProcessCloner cloner;
  absl::StatusOr<nsenter::ClonedProcess> child = cloner.Clone({});
  if (child.ok() && child->in_child()) RunChild(plan);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (!child.ok()) return Annotate(child.status(), absl::StrCat("start hook ", hook.path()));
  const int pidfd = child->pidfd.get();
  absl::Cleanup kill_hook = [pidfd] {
    (void)nsenter::PidfdSendSignal(pidfd, SIGKILL);
    (void)nsenter::PidfdWait(pidfd);
  };
  stdin_pipe.read.Reset();
  stdout_pipe.write.Reset();
  stderr_pipe.write.Reset();
  failure_pipe.write.Reset();

  ChildFailure failure;
  ssize_t reported;
  do {
    reported = read(failure_pipe.read.get(), &failure, sizeof(failure));
  } while (reported < 0 && errno == EINTR);
  if (reported < 0) return ErrnoStatus("read whether hook ", hook.path(), " started");
  if (reported == sizeof(failure)) return ChildFailureStatus(failure, hook, options);

  Output outputs[2] = {Output(std::move(stdout_pipe.read)), Output(std::move(stderr_pipe.read))};
  const absl::Time deadline =
      hook.has_timeout() ? WallClockNow() + absl::Seconds(hook.timeout()) : absl::InfiniteFuture();
  bool exited = false;
  while (!exited) {
    pollfd fds[3] = {{.fd = pidfd, .events = POLLIN, .revents = 0}};
    nfds_t count = 1;
    for (const Output& output : outputs) {
      if (output.open()) fds[count++] = {.fd = output.fd(), .events = POLLIN, .revents = 0};
    }
    const int ready = poll(fds, count, PollTimeoutMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ErrnoStatus("poll hook ", hook.path());
    if (ready == 0) {
      std::move(kill_hook).Invoke();
      for (Output& output : outputs) (void)output.Drain();
      return absl::DeadlineExceededError(
          absl::StrCat("hook ran past specified timeout of ", hook.timeout(),
                       ".0s, stdout: ", outputs[0].Text(), ", stderr: ", outputs[1].Text()));
    }
    exited = (fds[0].revents & POLLIN) != 0;
    // Once the hook has exited, all it wrote is in the pipes: this last read
    // does not wait for their ends, which a process it left behind may hold.
    for (Output& output : outputs) RETURN_IF_ERROR(output.Drain());
  }
  absl::StatusOr<nsenter::ExitStatus> exit = nsenter::PidfdWait(pidfd);
  std::move(kill_hook).Cancel();
  RETURN_IF_ERROR(exit.status());
  if (!exit->signaled && exit->code == 0) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("error running hook: ", GoExitText(*exit), ", stdout: ",
                                         outputs[0].Text(), ", stderr: ", outputs[1].Text()));
}

absl::Status RunHooks(absl::string_view kind, const HookList& hooks, absl::string_view state,
                      const RunOptions& options) {
  for (int i = 0; i < hooks.size(); ++i) {
    const absl::Status ran = RunHook(hooks[i], state, options);
    if (!ran.ok()) return HookError(kind, i, ran);
  }
  return absl::OkStatus();
}

void RunHooksWarningOnFailure(absl::string_view kind, const HookList& hooks,
                              absl::string_view state, const RunOptions& options) {
  for (int i = 0; i < hooks.size(); ++i) {
    const absl::Status ran = RunHook(hooks[i], state, options);
    if (!ran.ok()) LOG(WARNING) << HookError(kind, i, ran).message();
  }
}

}  // namespace hull::hooks
