#include "tools/launcher/exec_command.h"

#include <signal.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "config/json.h"
#include "glog/logging.h"
#include "nsenter/pidfd.h"
#include "runtime/console/console_socket.h"
#include "runtime/console/terminal_proxy.h"
#include "runtime/container.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/console_flags.h"
#include "tools/launcher/foreground.h"

namespace hull::launcher {
namespace {

absl::StatusOr<uint32_t> ParseId(absl::string_view flag, absl::string_view text) {
  uint32_t id;
  if (!absl::SimpleAtoi(text, &id)) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": not a numeric id: ", text));
  }
  return id;
}

absl::StatusOr<int> RunExec(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  ASSIGN_OR_RETURN(const statemachine::ContainerState state, loaded.container.State());
  ASSIGN_OR_RETURN(const config::Process process,
                   ExecProcessFromFlags(flags, state.config().process()));
  ASSIGN_OR_RETURN(runtime::ExecOptions options, ExecOptionsFromFlags(flags));
  const bool detach = flags.IsSet("detach");
  // Where the pty master goes: --console-socket, or, in the foreground, a
  // socketpair this process reads it from to relay it.
  ASSIGN_OR_RETURN(const ConsoleEnds console, OpenConsoleEnds(process.terminal(), detach, flags));
  options.console_socket = console.for_runtime.get();
  ASSIGN_OR_RETURN(runtime::ExecProcess started, loaded.container.Exec(process, options));
  auto kill_started = [&started] {
    (void)nsenter::PidfdSendSignal(started.pidfd(), SIGKILL);
    (void)started.Wait();
  };
  if (auto pid_file = flags.Value("pid-file")) {
    if (absl::Status written = WritePidFile(*pid_file, started.pid()); !written.ok()) {
      kill_started();
      return written;
    }
  }
  // Detached, the process is left to this process's subreaper (conmon's,
  // containerd's shim) once this one exits.
  if (detach) return 0;
  UniqueFd master;
  std::optional<console::TerminalProxy> terminal;
  if (console.foreground.valid()) {
    absl::StatusOr<UniqueFd> received = console::ReceivePtyMaster(console.foreground.get());
    absl::StatusOr<console::TerminalProxy> proxy =
        received.ok() ? console::TerminalProxy::Start(
                            {.master = received->get(), .in = STDIN_FILENO, .out = STDOUT_FILENO})
                      : received.status();
    if (!proxy.ok()) {
      kill_started();
      return proxy.status();
    }
    master = *std::move(received);
    terminal.emplace(*std::move(proxy));
  }
  RETURN_IF_ERROR(ForwardUntilExit(
      started.pidfd(), terminal.has_value() ? &*terminal : nullptr, [&started](int signal) {
        const absl::Status sent = nsenter::PidfdSendSignal(started.pidfd(), signal);
        if (!sent.ok()) LOG(WARNING) << "forward signal " << signal << ": " << sent.message();
      }));
  ASSIGN_OR_RETURN(const nsenter::ExitStatus exit, started.Wait());
  return exit.ShellCode();
}

}  // namespace

absl::StatusOr<config::Process> ExecProcessFromFlags(const ParsedFlags& flags,
                                                     const config::Process& container_process) {
  if (auto path = flags.Value("process")) {
    ASSIGN_OR_RETURN(const std::string json, ReadFileOrStdin(*path));
    return config::ParseProcessJson(json, *path);
  }
  const std::vector<std::string>& positional = flags.positional();
  if (positional.size() < 2) {
    return absl::InvalidArgumentError("exec: a command to run, or --process, is required");
  }
  config::Process process = container_process;
  process.set_terminal(flags.IsSet("tty"));
  process.clear_args();
  for (size_t i = 1; i < positional.size(); ++i) process.add_args(positional[i]);
  for (const std::string& variable : flags.Values("env")) process.add_env(variable);
  if (auto cwd = flags.Value("cwd")) process.set_cwd(*cwd);
  if (auto user = flags.Value("user")) {
    const std::vector<std::string> ids = absl::StrSplit(*user, absl::MaxSplits(':', 1));
    ASSIGN_OR_RETURN(const uint32_t uid, ParseId("user", ids[0]));
    process.mutable_user()->set_uid(uid);
    if (ids.size() == 2) {
      ASSIGN_OR_RETURN(const uint32_t gid, ParseId("user", ids[1]));
      process.mutable_user()->set_gid(gid);
    }
    process.mutable_user()->clear_username();
  }
  for (const std::string& gid_text : flags.Values("additional-gids")) {
    ASSIGN_OR_RETURN(const uint32_t gid, ParseId("additional-gids", gid_text));
    process.mutable_user()->add_additional_gids(gid);
  }
  config::Capabilities& capabilities = *process.mutable_capabilities();
  for (const std::string& capability : flags.Values("cap")) {
    capabilities.add_bounding(capability);
    capabilities.add_effective(capability);
    capabilities.add_permitted(capability);
    // An ambient capability needs an inheritable one: as runc, only when the
    // config has inheritable capabilities.
    if (capabilities.inheritable_size() > 0) capabilities.add_ambient(capability);
  }
  if (flags.IsSet("no-new-privs")) process.set_no_new_privileges(true);
  // Refused, naming the field, on a host without the security module.
  if (auto profile = flags.Value("apparmor")) process.set_apparmor_profile(*profile);
  if (auto label = flags.Value("process-label")) process.set_selinux_label(*label);
  return process;
}

absl::StatusOr<runtime::ExecOptions> ExecOptionsFromFlags(const ParsedFlags& flags) {
  runtime::ExecOptions options{.ignore_paused = flags.IsSet("ignore-paused")};
  if (auto fds = flags.Value("preserve-fds")) {
    if (!absl::SimpleAtoi(*fds, &options.preserve_fds) || options.preserve_fds < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--preserve-fds: not a count: ", *fds));
    }
  }
  for (const std::string& cgroup : flags.Values("cgroup")) {
    // [controller[,controller...]:]path
    const size_t colon = cgroup.find(':');
    if (colon == std::string::npos) {
      options.sub_cgroups[""] = cgroup;
      continue;
    }
    for (absl::string_view controller : absl::StrSplit(cgroup.substr(0, colon), ',')) {
      if (controller.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("--cgroup: empty controller in ", cgroup));
      }
      options.sub_cgroups[std::string(controller)] = cgroup.substr(colon + 1);
    }
  }
  return options;
}

Command ExecCommand() {
  return {
      .name = "exec",
      .arguments = "<container-id> <command> [command options]  ||  -p process.json <container-id>",
      .summary = "execute new process inside the container",
      .flags =
          {
              {.name = "console-socket", .takes_value = true,
               .help = "unix socket to receive the pty master (with --tty and --detach)"},
              {.name = "cwd", .takes_value = true, .help = "current working directory in the container"},
              {.name = "env", .short_name = "e", .takes_value = true,
               .help = "set an environment variable (repeatable)"},
              {.name = "tty", .short_name = "t", .help = "allocate a pseudo-TTY"},
              {.name = "user", .short_name = "u", .takes_value = true,
               .help = "UID (format: <uid>[:<gid>])"},
              {.name = "additional-gids", .short_name = "g", .takes_value = true,
               .help = "additional gid (repeatable)"},
              {.name = "process", .short_name = "p", .takes_value = true,
               .help = "path to the process.json"},
              {.name = "detach", .short_name = "d", .help = "detach from the container's process"},
              {.name = "pid-file", .takes_value = true, .help = "write the process's pid to this file"},
              {.name = "process-label", .takes_value = true,
               .help = "set the SELinux label of the process"},
              {.name = "apparmor", .takes_value = true,
               .help = "set the AppArmor profile of the process"},
              {.name = "no-new-privs", .help = "set the no new privileges value for the process"},
              {.name = "cap", .short_name = "c", .takes_value = true,
               .help = "add a capability to the bounding set (repeatable)"},
              {.name = "preserve-fds", .takes_value = true,
               .help = "pass this many extra fds (from fd 3) to the process"},
              {.name = "cgroup", .takes_value = true,
               .help = "run the process in an existing sub-cgroup: [controllers:]path (repeatable)"},
              {.name = "ignore-paused", .help = "allow exec in a paused container"},
          },
      .min_args = 1,
      .max_args = -1,
      // Flags come before the id; everything after it is the command and its argv.
      .max_flag_positionals = 1,
      .run = RunExec};
}

}  // namespace hull::launcher
