// The state machine's actions on a real Linux kernel: one object per
// command, made with what the runtime gives every command (where state
// lives, how inits are spawned, how cgroups are managed) and the command's
// own parameters.
#ifndef HULL_RUNTIME_LINUX_ACTIONS_H_
#define HULL_RUNTIME_LINUX_ACTIONS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/cpu_progress.h"
#include "base/fd.h"
#include "cgroups/factory.h"
#include "cgroups/manager.h"
#include "nsenter/clone.h"
#include "config/runtime_spec.pb.h"
#include "runtime/channel/create_handshake.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/create_options.h"
#include "runtime/criu/checkpoint_options.h"
#include "runtime/criu/runner.h"
#include "runtime/exec_options.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/actions.h"

namespace hull::runtime {

// What every command's actions use; all must outlive the actions.
struct ActionEnvironment {
  // Holds the containers' directories.
  std::string state_root;
  InitSpawner& spawner;
  cgroups::ManagerFactory& cgroups;
  // Receives the records of the processes cloned for a container
  // (RuntimeOptions::child_log); empty: they get no log.
  std::function<void(absl::string_view record)> child_log;
  // RuntimeOptions::rootless_cgroups.
  bool rootless_cgroups = false;
  // RuntimeOptions::in_user_namespace: unset, CallerInUserNamespace reads it.
  std::optional<bool> in_user_namespace;
  // Serves checkpoint's and restore's CRIU requests (runtime/criu/runner.h).
  criu::Runner* criu = nullptr;
  // How long a process cloned for a container (its init, an exec'd process)
  // may use no CPU at all while the launcher waits for its next message
  // before the command gives up on it. Slow is not stuck: on a loaded or
  // emulated machine an init that works keeps using CPU, however little, and
  // the launcher keeps waiting for it, as runc and crun do (without a limit).
  absl::Duration child_quiet_period = absl::Minutes(1);
};

// The parameters of the commands that have any.
struct SignalParameters {
  int signal;
  bool all;  // every process of the container, not only its init
};
struct DeleteParameters {
  // Also kill the processes a gone init left in the container's cgroup even
  // when it had a pid namespace of its own (a plain delete kills them only
  // without one: they outlive the init there, as runc has it).
  bool force;
};
struct ExecParameters {
  config::Process process;
  ExecOptions options;
};
using CommandParameters = std::variant<std::monostate, CreateOptions, SignalParameters,
                                       config::Resources, DeleteParameters, ExecParameters,
                                       config::IntelRdt, CheckpointOptions, RestoreOptions>;

// Whether the caller runs in a user namespace other than the initial one:
// environment.in_user_namespace, or else from /proc/self/uid_map.
absl::StatusOr<bool> CallerInUserNamespace(const ActionEnvironment& environment);

// What an unprivileged creator cannot get (rootless/rootless_check.h) and,
// with rootless cgroups, the cgroups it may not make for what the config asks
// (rootless/rootless_cgroups.h): refused before anything is made.
absl::Status CheckRootlessCreate(const ActionEnvironment& environment, const std::string& id,
                                 const config::Spec& spec);

// The cgroup manager of an existing container, from its persisted paths.
absl::StatusOr<std::unique_ptr<cgroups::Manager>> ContainerCgroups(
    cgroups::ManagerFactory& factory, const statemachine::ContainerState& state);

// The container's own processes among those of its cgroups: a cgroupsPath
// may name a cgroup that held other processes before the container. With a
// pid namespace in its config, those in its init's (or the one it joins) or
// below it, and none once the init of a namespace of its own is gone (the
// namespace died with it); without one, every process of its cgroups, as
// with runc.
absl::StatusOr<std::vector<pid_t>> ContainerProcesses(const statemachine::ContainerState& state,
                                                      cgroups::Manager& cgroups);

class LinuxActions final : public statemachine::Actions {
 public:
  LinuxActions(const ActionEnvironment& environment, CommandParameters parameters = {})
      : environment_(environment), parameters_(std::move(parameters)) {}

  absl::Status Run(statemachine::Action action, statemachine::ContainerState& state) override;
  absl::Status Undo(statemachine::Action action, statemachine::ContainerState& state) override;
  bool ReadsConfig(statemachine::Action action,
                   const statemachine::ContainerState& state) const override;

  // After a successful create: a pidfd on the init, whose parent the caller
  // is (so it may wait for it).
  UniqueFd TakeInitPidfd() { return std::move(init_pidfd_); }

  // After a successful exec: the process started (the caller's child).
  nsenter::ClonedProcess TakeExecProcess() { return std::move(exec_process_); }

 private:
  // The command's parameters of type T; Internal when the command has none
  // (the table gave an action to a command that cannot run it).
  template <typename T>
  absl::StatusOr<const T*> Parameters(statemachine::Action action) const;

  std::string ContainerDir(const statemachine::ContainerState& state) const;
  absl::Status CreateExecFifo(const statemachine::ContainerState& state);
  absl::Status CloneInit(statemachine::ContainerState& state);
  // Sends HooksDone when the init waits for it (channel::InitWaitsAfterMounts),
  // with the state the init's own hooks read, and waits for the init to be
  // ready.
  absl::Status AwaitInitReady(const statemachine::ContainerState& state);
  // Receives `kind` from the init, then forwards what it logged meanwhile
  // (whether or not `kind` came). Fails as soon as the init's cgroup is
  // frozen: the init could not send it then.
  absl::StatusOr<channel::SyncMessage> ExpectFromInit(channel::SyncMessage::KindCase kind);
  // Passes what the cloned child has logged so far to
  // environment_.child_log; never waits.
  void ForwardChildLog();
  // With a terminal: the init's pty master, to the create's console socket.
  absl::Status ForwardPtyMaster();
  // A notifying seccomp filter's listener, from the init to the agent.
  absl::Status ForwardSeccompListener(const statemachine::ContainerState& state);
  absl::Status Signal(const statemachine::ContainerState& state, int signal, bool all);
  absl::Status KillAll(const statemachine::ContainerState& state, bool force);
  // Until the init has something to read on the channel (WaitForChild),
  // "container's cgroup unexpectedly frozen" once its cgroup is frozen.
  absl::Status WaitForInit();
  // Until `channel_fd` has something to read (a message, or the close of a
  // child that died); DeadlineExceeded once the child `progress` watches has
  // used no CPU for environment_.child_quiet_period. With `check_frozen`,
  // "container's cgroup unexpectedly frozen" once its cgroup is frozen.
  absl::Status WaitForChild(int channel_fd, CpuProgress& progress, absl::string_view child,
                            bool check_frozen);
  // SIGKILL, then a bounded wait (thawing the container's cgroup if the
  // init is frozen), then the reaping.
  absl::Status KillClonedInit();
  // `status` of something done to the init (its id maps), or, when that
  // failed because the init failed first, the init's own error.
  absl::Status InitErrorOr(absl::Status status);
  absl::Status CreateCgroup(statemachine::ContainerState& state);
  // runc's warning for a container put in a cgroup that holds processes.
  void WarnIfCgroupHoldsProcesses();
  absl::Status UpdateResources(statemachine::ContainerState& state);
  absl::Status SpawnExec(const statemachine::ContainerState& state);
  // Checkpoint and restore with CRIU (linux_actions_criu.cc). Restore runs
  // `setup_namespaces` (the prestart and createRuntime hooks) with the
  // restored init's pid when CRIU has made its namespaces.
  absl::Status Checkpoint(const statemachine::ContainerState& state);
  absl::Status Restore(statemachine::ContainerState& state,
                       const std::function<absl::Status(pid_t init)>& setup_namespaces);
  // The container's cgroups, from its persisted paths (made once a command).
  absl::StatusOr<cgroups::Manager*> Cgroups(const statemachine::ContainerState& state);

  const ActionEnvironment& environment_;
  const CommandParameters parameters_;

  std::unique_ptr<cgroups::Manager> cgroups_;

  // Held between the create row's actions.
  UniqueFd exec_fifo_;
  UniqueFd init_pidfd_;
  pid_t init_pid_ = 0;
  bool terminal_ = false;
  std::optional<channel::SyncChannel> channel_;
  std::optional<channel::CreateHandshake> handshake_;

  nsenter::ClonedProcess exec_process_;
  // The launcher's end of the cloned child's log, when environment_.child_log
  // wants it, and what its records are prefixed with.
  UniqueFd child_log_;
  std::string child_log_prefix_;
  // The init's pid in its own pid namespace (ReadyForHooks).
  pid_t init_pid_in_container_ = 0;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_LINUX_ACTIONS_H_
