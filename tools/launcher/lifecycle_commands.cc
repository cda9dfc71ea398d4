// The commands that change a container: create, start, run, kill, delete.
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "config/json.h"
#include "glog/logging.h"
#include "nsenter/pidfd.h"
#include "runtime/container.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "tools/launcher/command.h"
#include "tools/launcher/signal_names.h"

namespace hull::launcher {
namespace {

std::vector<FlagSpec> CreateFlags() {
  return {
      {.name = "bundle", .short_name = "b", .takes_value = true,
       .help = "path to the root of the bundle directory (default: current directory)"},
      {.name = "pid-file", .takes_value = true, .help = "write the init's pid to this file"},
      {.name = "console-socket", .takes_value = true,
       .help = "unix socket to receive the container's pty master (not supported yet)"},
      {.name = "no-pivot", .help = "use MS_MOVE and chroot instead of pivot_root (ramfs roots)"},
      {.name = "no-new-keyring", .help = "keep the caller's session keyring"},
      {.name = "preserve-fds", .takes_value = true,
       .help = "pass this many extra fds (from fd 3) to the container"},
  };
}

// Writes `pid` to `path` atomically (temporary file, rename), as runc does.
absl::Status WritePidFile(const std::string& path, pid_t pid) {
  std::string temporary = absl::StrCat(path, ".hull-tmp");
  UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  std::string text = absl::StrCat(pid);
  if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != ssize_t(text.size()) ||
      ::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    return absl::InternalError(absl::StrCat("write pid file ", path, ": ", strerror(error)));
  }
  return absl::OkStatus();
}

// Creates the container the flags describe.
absl::StatusOr<runtime::Container> CreateFromFlags(runtime::Runtime& hull, const ParsedFlags& flags) {
  const std::string& id = flags.positional().front();
  if (flags.Has("console-socket")) {
    return absl::UnimplementedError("--console-socket: terminals are not supported yet");
  }
  std::string bundle_flag = flags.ValueOr("bundle", ".");
  char resolved[PATH_MAX];
  if (::realpath(bundle_flag.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(absl::StrCat("bundle \"", bundle_flag, "\": ", strerror(errno)));
  }
  runtime::CreateOptions options{.bundle = resolved,
                                 .no_pivot = flags.IsSet("no-pivot"),
                                 .no_new_keyring = flags.IsSet("no-new-keyring")};
  if (auto fds = flags.Value("preserve-fds")) {
    if (!absl::SimpleAtoi(*fds, &options.preserve_fds) || options.preserve_fds < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--preserve-fds: not a count: ", *fds));
    }
  }
  ASSIGN_OR_RETURN(config::Spec spec, config::LoadConfigFile(options.bundle + "/config.json"));
  if (spec.process().terminal()) {
    return absl::UnimplementedError(
        "process.terminal is true: terminals are not supported yet (set it to false)");
  }
  ASSIGN_OR_RETURN(runtime::Container container, hull.Create(id, std::move(spec), options));
  if (auto pid_file = flags.Value("pid-file")) {
    const absl::Status written = WritePidFile(*pid_file, container.init_pid());
    if (!written.ok()) {
      (void)container.Delete(/*force=*/true);
      return written;
    }
  }
  return container;
}

absl::StatusOr<int> RunCreate(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  RETURN_IF_ERROR(CreateFromFlags(hull, flags).status());
  return 0;
}

absl::StatusOr<int> RunStart(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  RETURN_IF_ERROR(container.Start());
  return 0;
}

// Forwards the signals a shell sends to the foreground job to the
// init of `container`, which this process created, until it exits; returns
// its shell exit code.
absl::StatusOr<int> ForwardSignalsUntilExit(runtime::Container& container) {
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH}) {
    sigaddset(&forwarded, signal);
  }
  // Blocked only now, after the clone: the init must not inherit the mask.
  if (sigprocmask(SIG_BLOCK, &forwarded, nullptr) != 0) {
    return absl::InternalError(absl::StrCat("sigprocmask: ", strerror(errno)));
  }
  UniqueFd signals(signalfd(-1, &forwarded, SFD_CLOEXEC));
  if (!signals.valid()) return absl::InternalError(absl::StrCat("signalfd: ", strerror(errno)));
  while (true) {
    struct pollfd fds[2] = {{container.init_pidfd(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
    if (fds[0].revents != 0) break;
    struct signalfd_siginfo info;
    if (read(signals.get(), &info, sizeof(info)) == sizeof(info)) {
      absl::Status forwarded_status = container.Signal(static_cast<int>(info.ssi_signo), false);
      if (!forwarded_status.ok()) LOG(WARNING) << "forward signal: " << forwarded_status.message();
    }
  }
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, container.Wait());
  return exit.ShellCode();
}

absl::StatusOr<int> RunRun(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, CreateFromFlags(hull, flags));
  if (absl::Status started = container.Start(); !started.ok()) {
    (void)container.Delete(/*force=*/true);
    return started;
  }
  if (flags.IsSet("detach")) return 0;
  absl::StatusOr<int> exit_code = ForwardSignalsUntilExit(container);
  if (!flags.IsSet("keep")) {
    absl::Status deleted = container.Delete(/*force=*/!exit_code.ok());
    if (exit_code.ok() && !deleted.ok()) return deleted;
  }
  return exit_code;
}

absl::StatusOr<int> RunKill(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  int signal = SIGTERM;
  if (flags.positional().size() > 1) {
    ASSIGN_OR_RETURN(signal, ParseSignal(flags.positional()[1]));
  }
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  RETURN_IF_ERROR(container.Signal(signal, flags.IsSet("all")));
  return 0;
}

absl::StatusOr<int> RunDelete(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  absl::StatusOr<runtime::Container> container = hull.Load(flags.positional().front());
  // runc: deleting an unknown container with --force succeeds.
  if (absl::IsNotFound(container.status()) && flags.IsSet("force")) return 0;
  RETURN_IF_ERROR(container.status());
  RETURN_IF_ERROR(container->Delete(flags.IsSet("force")));
  return 0;
}

}  // namespace

Command CreateCommand() {
  return {.name = "create",
          .arguments = "<container-id>",
          .summary = "create a container",
          .flags = CreateFlags(),
          .min_args = 1,
          .max_args = 1,
          .run = RunCreate};
}

Command StartCommand() {
  return {.name = "start",
          .arguments = "<container-id>",
          .summary = "run the user's process in a created container",
          .min_args = 1,
          .max_args = 1,
          .run = RunStart};
}

Command RunCommand() {
  std::vector<FlagSpec> flags = CreateFlags();
  flags.push_back({.name = "detach", .short_name = "d", .help = "detach from the container"});
  flags.push_back({.name = "keep", .help = "keep the container's state after it exits"});
  return {.name = "run",
          .arguments = "<container-id>",
          .summary = "create and run a container",
          .flags = std::move(flags),
          .min_args = 1,
          .max_args = 1,
          .run = RunRun};
}

Command KillCommand() {
  return {.name = "kill",
          .arguments = "<container-id> [signal]",
          .summary = "send a signal (default: SIGTERM) to the container's init",
          .flags = {{.name = "all", .short_name = "a",
                     .help = "send the signal to every process of the container"}},
          .min_args = 1,
          .max_args = 2,
          .run = RunKill};
}

Command DeleteCommand() {
  return {.name = "delete",
          .arguments = "<container-id>",
          .summary = "delete a container and what it holds",
          .flags = {{.name = "force", .short_name = "f",
                     .help = "kill a running container first; an unknown id is no error"}},
          .min_args = 1,
          .max_args = 1,
          .run = RunDelete};
}

}  // namespace hull::launcher
