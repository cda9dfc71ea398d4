#include "runtime/linux_actions.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/crash_point.h"
#include "base/proc_stat.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "base/wall_clock.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_rules.h"
#include "cgroups/no_cgroup_manager.h"
#include "cgroups/systemd/property_annotations.h"
#include "config/validator.h"
#include "config/namespaces.h"
#include "glog/logging.h"
#include "nsenter/namespace.h"
#include "nsenter/pid_namespace_members.h"
#include "nsenter/pidfd.h"
#include "nsenter/setns.h"
#include "nsenter/user_namespace_probe.h"
#include "runtime/channel/child_log.h"
#include "runtime/hooks/hooks.h"
#include "runtime/console/console_socket.h"
#include "runtime/oci_state.h"
#include "runtime/intel_rdt.h"
#include "runtime/network/net_devices.h"
#include "runtime/notify/notify_socket.h"
#include "runtime/process/exec_fifo.h"
#include "runtime/recorded_config.h"
#include "runtime/seccomp/agent.h"
#include "runtime/seccomp/compile_filter.h"
#include "runtime/seccomp/profile.h"
#include "runtime/rootfs/bind_tree.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "runtime/rootfs/shared_mount_namespace.h"
#include "runtime/rootless/rootless_cgroups.h"
#include "runtime/rootless/rootless_check.h"
#include "runtime/runc_errors.h"
#include "runtime/user/id_map_writer.h"
#include "statemachine/transitions.h"

namespace hull::runtime {
namespace {

using statemachine::Action;
using statemachine::ContainerState;

// How long killed processes may take to die before delete gives up.
constexpr absl::Duration kKillTimeout = absl::Seconds(10);
// How often a wait on the init looks whether its cgroup was frozen (then it
// cannot run, nor die of SIGKILL on cgroup v1, until thawed) and whether it
// still uses CPU. Each look reads two files, and a start's waits last long only
// on a loaded host: every 200 ms cost 100 parallel `run`s about 10% of their
// wall time in the VM, against every 2 s.
constexpr absl::Duration kFrozenCheckInterval = absl::Seconds(1);
// What a receive gets once the channel is readable: the message is there.
constexpr absl::Duration kPollSlack = absl::Milliseconds(100);
// How long a SIGKILLed init may take to die before its cgroup is thawed.
constexpr absl::Duration kInitDeathTimeout = absl::Seconds(1);

// How many checks in a row a child must be seen using no CPU for `quiet_period`.
int QuietChecks(absl::Duration quiet_period) {
  return static_cast<int>(std::max<int64_t>(1, quiet_period / kFrozenCheckInterval));
}

// The trees of the container's id-mapped binds, made here where the
// launcher still has CAP_SYS_ADMIN over their sources' superblocks
// (bind_tree.h); `user_namespace` is the container's user namespace (the
// init's new one, its maps written, or the one it joins). A config the plan
// refuses gets none: the init reports it where it plans its mounts.
absl::StatusOr<std::vector<UniqueFd>> PrepareIdMappedTrees(const config::Spec& spec,
                                                           const std::string& user_namespace) {
  const absl::StatusOr<std::vector<rootfs::PlannedMount>> mounts = rootfs::PlanLauncherTrees(spec);
  if (!mounts.ok()) return std::vector<UniqueFd>();
  UniqueFd container_user_namespace;
  for (const rootfs::PlannedMount& mount : *mounts) {
    if (!mount.id_mapping->container_user_namespace || container_user_namespace.valid()) continue;
    ASSIGN_OR_RETURN(container_user_namespace,
                     nsenter::OpenNamespace(user_namespace, nsenter::NamespaceType::kUser));
  }
  return rootfs::PrepareLauncherTrees(*mounts, container_user_namespace.get());
}

// PrepareIdMappedTrees, sent with `message` (IdMapsWritten, IdMappedTrees).
absl::Status SendIdMappedTrees(channel::CreateHandshake& handshake,
                               channel::SyncMessage::KindCase message, const config::Spec& spec,
                               const std::string& user_namespace) {
  ASSIGN_OR_RETURN(const std::vector<UniqueFd> trees, PrepareIdMappedTrees(spec, user_namespace));
  std::vector<int> tree_fds;
  for (const UniqueFd& tree : trees) tree_fds.push_back(tree.get());
  return handshake.Send(message, tree_fds);
}

// runc's words for a cgroup someone else froze (clients match on them).
absl::Status UnexpectedlyFrozen(absl::string_view detail) {
  return absl::FailedPreconditionError(
      absl::StrCat("container's cgroup unexpectedly frozen: ", detail));
}

// A pidfd on the container's init, checked to be the process Hull started
// (same start time), or NotFound when it is gone or was never recorded (a
// create that crashed before its init reported ready).
absl::StatusOr<UniqueFd> OpenInit(const ContainerState& state) {
  if (state.pid() <= 0) {
    return absl::NotFoundError(absl::StrCat("container ", state.id(), " has no init recorded"));
  }
  ASSIGN_OR_RETURN(UniqueFd pidfd, nsenter::PidfdOpen(state.pid()));
  absl::StatusOr<ProcStat> stat = ReadProcStat(state.pid());
  if (!stat.ok() || stat->start_time != state.pid_start_time() || stat->state == 'Z') {
    return absl::NotFoundError(absl::StrCat("container init ", state.pid(), " is gone"));
  }
  return pidfd;
}

// The host ids of the container's root: what its user namespace maps 0 to,
// or the caller's own ids without one.
std::pair<uid_t, gid_t> HostRootIds(const config::Linux& linux, bool new_user_namespace) {
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (!new_user_namespace) return {uid, gid};
  for (const config::IdMapping& mapping : linux.uid_mappings()) {
    if (mapping.container_id() == 0 && mapping.size() > 0) uid = mapping.host_id();
  }
  for (const config::IdMapping& mapping : linux.gid_mappings()) {
    if (mapping.container_id() == 0 && mapping.size() > 0) gid = mapping.host_id();
  }
  return {uid, gid};
}

// The prestart and createRuntime hooks: in the launcher's namespaces, while
// the container is being created, with its init's host pid; in the bundle,
// where runc's create runs them. The first failure fails the create.
absl::Status RunCreateHooks(absl::string_view kind, const hooks::HookList& list,
                                   const ContainerState& state) {
  if (list.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const std::string hook_state,
                   HookStateJson(state, statemachine::STATE_CREATING, state.pid()));
  return hooks::RunHooks(kind, list, hook_state, {.working_directory = state.bundle()});
}

// The poststart and poststop hooks: in the launcher's namespaces and working
// directory. Their failures are warnings, as the spec has them.
void WarnOnHookFailures(absl::string_view kind, const hooks::HookList& list,
                        const ContainerState& state, statemachine::State status, int pid) {
  if (list.empty()) return;
  absl::StatusOr<std::string> hook_state = HookStateJson(state, status, pid);
  if (!hook_state.ok()) {
    LOG(WARNING) << "cannot run the " << kind << " hooks: " << hook_state.status().message();
    return;
  }
  hooks::RunHooksWarningOnFailure(kind, list, *hook_state);
}

// Once the container is gone, or its create failed after its init reached
// the hooks (the spec goes on to delete then, and runc's destroy runs them).
void RunPoststopHooks(const ContainerState& state) {
  WarnOnHookFailures("poststop", state.config().hooks().poststop(), state,
                     statemachine::STATE_STOPPED, /*pid=*/0);
}

// linux.seccomp compiled for the process about to be cloned; none without
// it.
absl::StatusOr<std::optional<seccomp::Filter>> CompileSeccompFilter(const config::Spec& spec) {
  if (!spec.linux().has_seccomp()) return std::nullopt;
  ASSIGN_OR_RETURN(seccomp::Filter filter, seccomp::CompileFilter(spec.linux().seccomp()));
  return filter;
}

// Hands the listener of `process_pid`'s filter to linux.seccomp.listenerPath.
absl::Status SendSeccompListener(const ContainerState& state, statemachine::State status,
                                 int process_pid, int listener) {
  ASSIGN_OR_RETURN(const std::string process_state,
                   SeccompAgentStateJson(state, status, state.pid(), process_pid));
  return seccomp::SendListenerToAgent(state.config().linux().seccomp().listener_path(),
                                      process_state, listener);
}

}  // namespace

absl::StatusOr<std::unique_ptr<cgroups::Manager>> ContainerCgroups(
    cgroups::ManagerFactory& factory, const ContainerState& state) {
  if (state.no_cgroup()) return std::make_unique<cgroups::NoCgroupManager>();
  const std::map<std::string, std::string> paths(state.cgroup_paths().begin(),
                                                 state.cgroup_paths().end());
  const std::map<std::string, std::string> created(state.cgroup_created_paths().begin(),
                                                   state.cgroup_created_paths().end());
  if (!state.cgroup_systemd_unit().empty()) {
    return factory.RestoreSystemd(state.cgroup_systemd_unit(), paths, created);
  }
  return factory.Restore(paths, created);
}

namespace {

// Whether Hull made every cgroup of the container: then they hold only its
// processes, and the kernel's whole-cgroup operations (cgroup.kill, the
// freezer around a kill) serve it.
bool MadeEveryCgroup(const ContainerState& state) {
  for (const auto& [controller, path] : state.cgroup_paths()) {
    if (!state.cgroup_created_paths().contains(controller)) return false;
  }
  return true;
}

// Whether two lists of device rules say the same, rule by rule.
bool SameDeviceRules(const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& a,
                     const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (a[i].SerializeAsString() != b[i].SerializeAsString()) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<pid_t>> ContainerProcesses(const ContainerState& state,
                                                      cgroups::Manager& cgroups) {
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, cgroups.Processes());
  if (MadeEveryCgroup(state)) return pids;
  const ContainerState::PidNamespace pid_namespace = PidNamespaceOf(state);
  if (pid_namespace.kind() == ContainerState::PidNamespace::KIND_NONE) return pids;
  UniqueFd ns;
  if (pid_namespace.kind() == ContainerState::PidNamespace::KIND_JOINED) {
    ns.Reset(open(pid_namespace.path().c_str(), O_RDONLY | O_CLOEXEC));
  } else if (absl::StatusOr<UniqueFd> init = OpenInit(state); init.ok()) {
    ns.Reset(open(absl::StrCat("/proc/", state.pid(), "/ns/pid").c_str(), O_RDONLY | O_CLOEXEC));
    // The pid named the init when the namespace was opened.
    absl::StatusOr<bool> exited = nsenter::PidfdHasExited(init->get(), absl::ZeroDuration());
    if (!exited.ok() || *exited) ns.Reset();
  }
  if (!ns.valid()) return std::vector<pid_t>();
  return nsenter::PidsInPidNamespace(pids, ns.get());
}

template <typename T>
absl::StatusOr<const T*> LinuxActions::Parameters(Action action) const {
  const T* parameters = std::get_if<T>(&parameters_);
  if (parameters == nullptr) {
    return absl::InternalError(absl::StrCat("action ", statemachine::ActionName(action),
                                            " run by a command without its parameters"));
  }
  return parameters;
}

// Those of checkpoint and restore are read in linux_actions_criu.cc.
template absl::StatusOr<const CheckpointOptions*> LinuxActions::Parameters(Action) const;
template absl::StatusOr<const RestoreOptions*> LinuxActions::Parameters(Action) const;

std::string LinuxActions::ContainerDir(const ContainerState& state) const {
  return absl::StrCat(environment_.state_root, "/", state.id());
}

absl::Status LinuxActions::Run(Action action, ContainerState& state) {
  switch (action) {
    case Action::kCreateCgroup:
      return CreateCgroup(state);
    case Action::kCreateExecFifo:
      return CreateExecFifo(state);
    case Action::kCloneInit:
      return CloneInit(state);
    case Action::kRunPrestartHooks:
      return RunCreateHooks("prestart", state.config().hooks().prestart(), state);
    case Action::kRunCreateRuntimeHooks:
      return RunCreateHooks("createRuntime", state.config().hooks().create_runtime(), state);
    case Action::kRunPoststartHooks:
      // After the exec of the user's process, which kReleaseExecFifo waits for.
      WarnOnHookFailures("poststart", state.config().hooks().poststart(), state,
                         statemachine::STATE_RUNNING, state.pid());
      return absl::OkStatus();
    case Action::kRunPoststopHooks:
      RunPoststopHooks(state);
      return absl::OkStatus();
    case Action::kAwaitInitReady:
      return AwaitInitReady(state);
    case Action::kReleaseExecFifo: {
      absl::StatusOr<UniqueFd> init = OpenInit(state);
      // Alive when the engine looked, gone now: as when ReleaseExecFifo sees
      // it die.
      if (absl::IsNotFound(init.status())) {
        return absl::FailedPreconditionError(
            absl::StrCat("container init exited before start: ", init.status().message()));
      }
      RETURN_IF_ERROR(init.status());
      return process::ReleaseExecFifo(ContainerDir(state), init->get());
    }
    case Action::kSignal: {
      ASSIGN_OR_RETURN(const SignalParameters* signal, Parameters<SignalParameters>(action));
      return Signal(state, signal->signal, signal->all);
    }
    case Action::kKillAll: {
      const DeleteParameters* del = std::get_if<DeleteParameters>(&parameters_);
      return KillAll(state, del != nullptr && del->force);
    }
    case Action::kDestroy: {
      RETURN_IF_ERROR(process::RemoveExecFifo(ContainerDir(state)));
      RETURN_IF_ERROR(RemoveIntelRdt(state));
      // A create killed before it recorded any cgroup made none.
      if (state.cgroup_paths().empty()) return absl::OkStatus();
      ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
      return cgroups->Destroy();
    }
    case Action::kFreeze: {
      ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
      return cgroups->Freeze();
    }
    case Action::kThaw: {
      ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
      return cgroups->Thaw();
    }
    case Action::kUpdateResources:
      return UpdateResources(state);
    case Action::kSpawnExec:
      return SpawnExec(state);
    case Action::kCheckpoint:
      return Checkpoint(state);
    case Action::kRestore:
      // As runc: the hooks run once CRIU has made the namespaces.
      return Restore(state, [&state](pid_t init) {
        ContainerState restoring = state;
        restoring.set_pid(init);
        RETURN_IF_ERROR(RunCreateHooks("prestart", state.config().hooks().prestart(), restoring));
        return RunCreateHooks("createRuntime", state.config().hooks().create_runtime(), restoring);
      });
  }
  return absl::InternalError("unknown action");
}

bool LinuxActions::ReadsConfig(Action action, const ContainerState& state) const {
  switch (action) {
    case Action::kReleaseExecFifo:
    case Action::kFreeze:
    case Action::kThaw:
      return false;
    case Action::kRunPoststartHooks:
      // Unknown in a state written before it was recorded.
      return !state.has_poststart_hooks() || state.poststart_hooks();
    case Action::kSignal: {
      // Signal reads the pid namespace only to signal every process.
      const SignalParameters* signal = std::get_if<SignalParameters>(&parameters_);
      return signal == nullptr || (signal->all && !RecordsPidNamespace(state));
    }
    case Action::kKillAll:
      // Its pid namespace says which processes are the container's.
      return !RecordsPidNamespace(state);
    case Action::kDestroy:
      // The Intel RDT groups are named by the config (linux.intelRdt.closID).
      return !RecordsIntelRdt(state) || state.intel_rdt();
    case Action::kRunPoststopHooks:
      return !state.has_poststop_hooks() || state.poststop_hooks();
    default:
      return true;
  }
}

absl::Status LinuxActions::Undo(Action action, ContainerState& state) {
  switch (action) {
    case Action::kCreateExecFifo:
      exec_fifo_.Reset();
      return process::RemoveExecFifo(ContainerDir(state));
    case Action::kCloneInit: {
      // The init got as far as the hooks: the container is stopped, and its
      // poststop hooks run.
      const absl::Status killed = KillClonedInit();
      RunPoststopHooks(state);
      return killed;
    }
    case Action::kRestore:
      // The restored init, if CRIU got as far as making it.
      return KillClonedInit();
    case Action::kCreateCgroup: {
      (void)RemoveIntelRdt(state);
      ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
      return cgroups->Destroy();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status LinuxActions::CreateExecFifo(const ContainerState& state) {
  const bool new_user_namespace = config::CreatesNamespace(state.config(), "user");
  const auto [uid, gid] = HostRootIds(state.config().linux(), new_user_namespace);
  ASSIGN_OR_RETURN(exec_fifo_, process::CreateExecFifo(ContainerDir(state), uid, gid));
  CrashPoint("exec-fifo-made");
  ASSIGN_OR_RETURN(const CreateOptions* options,
                   Parameters<CreateOptions>(Action::kCreateExecFifo));
  // The init binds it into the container (notify::AddToSpec, at Create).
  if (options->notify_socket) return notify::MakeHostDirectory(ContainerDir(state));
  return absl::OkStatus();
}

absl::Status LinuxActions::CloneInit(ContainerState& state) {
  ASSIGN_OR_RETURN(const CreateOptions* options, Parameters<CreateOptions>(Action::kCloneInit));
  const config::Spec& spec = state.config();
  ASSIGN_OR_RETURN(nsenter::NamespacePlan plan, nsenter::PlanNamespaces(spec.linux()));
  VLOG(1) << "container \"" << state.id() << "\": " << nsenter::DescribeNamespacePlan(plan);
  // Without a mount namespace of its own, the init only chroots: what
  // would need a mount is refused.
  RETURN_IF_ERROR(InvalidConfiguration(rootfs::CheckSharedMountNamespace(spec)));
  const bool new_user_namespace = (plan.clone_flags & CLONE_NEWUSER) != 0;
  terminal_ = spec.process().terminal();
  if (terminal_ != (options->console_socket >= 0)) {
    return absl::InvalidArgumentError(
        terminal_ ? "process.terminal is true: its pty master needs a console socket"
                  : "a console socket is given, but process.terminal is false");
  }
  std::string rootfs = RootfsPath(state);
  // A mount namespace joined by path has the rootfs at its own path.
  const bool joins_mount_namespace =
      !rootfs::HasOwnMountNamespace(spec) && config::HasNamespace(spec, "mount");
  if (!joins_mount_namespace && access(rootfs.c_str(), F_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("rootfs \"", rootfs, "\": ", strerror(errno)));
  }
  // Made before the clone: the init waits for them.
  user::IdMapWrites id_maps;
  if (new_user_namespace) {
    ASSIGN_OR_RETURN(id_maps, user::PlanIdMapWrites(spec.linux(), user::CurrentMapWriter(),
                                                    user::ReadHostFile));
  }
  ASSIGN_OR_RETURN(channel::SyncChannelPair channels, channel::CreateSyncChannelPair());
  channel::ChildLogPair init_log;  // none unless the caller wants it
  if (environment_.child_log) {
    ASSIGN_OR_RETURN(init_log, channel::CreateChildLogPair());
  }
  ASSIGN_OR_RETURN(const std::optional<seccomp::Filter> seccomp_filter,
                   CompileSeccompFilter(spec));
  // The init is born in its cgroup2 cgroup and joins its v1 cgroups itself,
  // first thing (container_init.cc, JoinCgroups).
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  ASSIGN_OR_RETURN(cgroups::CloneTargets targets, cgroups->OpenCloneTargets({}));
  ASSIGN_OR_RETURN(const bool launcher_in_user_namespace, CallerInUserNamespace(environment_));
  InitContext context{
      .spec = spec,
      .container_id = state.id(),
      .rootfs = rootfs,
      .namespaces = plan,
      .no_pivot = options->no_pivot,
      .no_new_keyring = options->no_new_keyring,
      .preserve_fds = options->preserve_fds,
      .channel = channels.child,
      .exec_fifo_fd = exec_fifo_.get(),
      .v1_tasks_files = targets.v1_tasks_files,
      .host_cgroup_mounts = targets.host_cgroup_mounts,
      .cgroup2_directory_fd =
          targets.cgroup2_directory.valid() ? targets.cgroup2_directory.get() : -1,
      .cgroup_joined_by_launcher = targets.join_by_add_process,
      .launcher_in_user_namespace = launcher_in_user_namespace,
      .log_fd = init_log.child.get(),
      .seccomp_filter = seccomp_filter ? &*seccomp_filter : nullptr,
  };
  ASSIGN_OR_RETURN(nsenter::ClonedProcess init, environment_.spawner.Spawn(context));
  // The init has its own copies of the cgroup fds: these close (a v1 cgroup
  // file's release is not cheap) while it mounts, not while it waits.
  const bool cgroup_joined_by_launcher = targets.join_by_add_process;
  targets = cgroups::CloneTargets();
  init_pidfd_ = std::move(init.pidfd);
  init_pid_ = init.pid;
  CrashPoint("init-cloned");
  channels.child = channel::SyncChannel(UniqueFd(), "");
  init_log.child.Reset();
  child_log_ = std::move(init_log.parent);
  child_log_prefix_ = absl::StrCat("container \"", state.id(), "\": init ", init.pid, ": ");
  VLOG(1) << "container \"" << state.id() << "\": init cloned, pid " << init.pid;
  channel_.emplace(std::move(channels.parent));
  const bool trees_for_joined_user_namespace = rootfs::JoinsUserNamespaceWithLauncherTrees(spec);
  handshake_.emplace(*channel_, channel::CreatePeer::kLauncher, new_user_namespace, terminal_,
                     seccomp::UsesNotify(spec.linux().seccomp()), cgroup_joined_by_launcher,
                     trees_for_joined_user_namespace, channel::InitWaitsAfterMounts(spec));
  // From here on a failure kills the init (Undo is not run for the failing
  // action itself).
  absl::Cleanup kill_init = [this, &state] {
    (void)KillClonedInit();
    state.clear_pid();
    state.clear_pid_start_time();
  };
  // Saved at once: a launcher killed from here on leaves delete the init to
  // kill (the init dies with the launcher too, until it is ready).
  ASSIGN_OR_RETURN(const ProcStat stat, ReadProcStat(init.pid));
  state.set_pid(init.pid);
  state.set_pid_start_time(stat.start_time);
  RETURN_IF_ERROR(SaveProgress(state));
  CrashPoint("init-saved");
  RETURN_IF_ERROR(JoinIntelRdt(state, init.pid));
  if (cgroup_joined_by_launcher) {
    // The systemd driver makes the container's scope around the init.
    RETURN_IF_ERROR(InitErrorOr(cgroups->AddProcess(init.pid)));
    RETURN_IF_ERROR(handshake_->Send(channel::SyncMessage::kCgroupJoined));
  }

  if (new_user_namespace) {
    RETURN_IF_ERROR(ExpectFromInit(channel::SyncMessage::kReadyForIdMaps).status());
    LinuxProcFiles host_proc("/proc");
    RETURN_IF_ERROR(InitErrorOr(
        user::WriteIdMaps(id_maps, spec.linux(), init.pid, host_proc, user::RunIdMapHelper)));
    RETURN_IF_ERROR(SendIdMappedTrees(*handshake_, channel::SyncMessage::kIdMapsWritten, spec,
                                      absl::StrCat("/proc/", init.pid, "/ns/user")));
    VLOG(1) << "container \"" << state.id() << "\": id maps written";
  } else if (trees_for_joined_user_namespace) {
    RETURN_IF_ERROR(SendIdMappedTrees(*handshake_, channel::SyncMessage::kIdMappedTrees, spec,
                                      config::JoinedNamespacePath(spec, "user")));
  }
  // While the init makes its mounts; before the hooks, which may look for them.
  RETURN_IF_ERROR(InitErrorOr(network::MoveContainerNetDevices(spec, init.pid, init_pidfd_.get())));
  if (handshake_->init_waits_after_mounts()) {
    ASSIGN_OR_RETURN(const channel::SyncMessage ready,
                     ExpectFromInit(channel::SyncMessage::kReadyForHooks));
    init_pid_in_container_ = ready.ready_for_hooks().pid();
    CrashPoint("init-ready-for-hooks");
  }
  std::move(kill_init).Cancel();
  return absl::OkStatus();
}

absl::Status LinuxActions::InitErrorOr(absl::Status status) {
  if (status.ok() || !channel_) return status;
  return channel_->PeerErrorOr(std::move(status));
}

absl::Status LinuxActions::AwaitInitReady(const ContainerState& state) {
  if (!handshake_) return absl::InternalError("the container init's channel is gone");
  if (handshake_->init_waits_after_mounts()) {
    // The init's own hooks run in its pid namespace: they see it by the pid
    // it has there.
    channel::SyncMessage done;
    channel::HooksDone& hooks_done = *done.mutable_hooks_done();
    const config::Hooks& hooks = state.config().hooks();
    if (!hooks.create_container().empty()) {
      ASSIGN_OR_RETURN(*hooks_done.mutable_create_container_state(),
                       HookStateJson(state, statemachine::STATE_CREATING, init_pid_in_container_));
    }
    if (!hooks.start_container().empty()) {
      ASSIGN_OR_RETURN(*hooks_done.mutable_start_container_state(),
                       HookStateJson(state, statemachine::STATE_CREATED, init_pid_in_container_));
    }
    RETURN_IF_ERROR(handshake_->Send(done));
    CrashPoint("hooks-done-sent");
  }
  RETURN_IF_ERROR(ForwardPtyMaster());
  RETURN_IF_ERROR(ForwardSeccompListener(state));
  RETURN_IF_ERROR(ExpectFromInit(channel::SyncMessage::kChildReady).status());
  CrashPoint("init-ready");
  handshake_.reset();
  channel_.reset();
  child_log_.Reset();
  exec_fifo_.Reset();
  return absl::OkStatus();
}

absl::StatusOr<channel::SyncMessage> LinuxActions::ExpectFromInit(
    channel::SyncMessage::KindCase kind) {
  const absl::Status ready = WaitForInit();
  absl::StatusOr<channel::SyncMessage> received =
      ready.ok() ? handshake_->ExpectMessage(kind, kPollSlack)
                 : absl::StatusOr<channel::SyncMessage>(ready);
  ForwardChildLog();
  return received;
}

absl::Status LinuxActions::WaitForInit() {
  CpuProgress progress(init_pid_, QuietChecks(environment_.child_quiet_period));
  return WaitForChild(channel_->fd(), progress, "the container init", /*check_frozen=*/true);
}

absl::Status LinuxActions::WaitForChild(int channel_fd, CpuProgress& progress,
                                        absl::string_view child, bool check_frozen) {
  while (true) {
    pollfd channel = {.fd = channel_fd, .events = POLLIN, .revents = 0};
    const int ready = poll(&channel, 1, absl::ToInt64Milliseconds(kFrozenCheckInterval));
    if (ready < 0 && errno != EINTR) return ErrnoStatus("poll the channel to ", child);
    if (ready > 0) return absl::OkStatus();
    if (check_frozen && cgroups_ != nullptr) {
      ASSIGN_OR_RETURN(const bool frozen, cgroups_->IsFrozen());
      if (frozen) return UnexpectedlyFrozen(absl::StrCat(child, " cannot run"));
    }
    // Sampled only when a whole interval passed: never for an interrupted
    // poll, so that the quiet period is one of the launcher's own time.
    if (ready < 0) continue;
    ASSIGN_OR_RETURN(const bool stalled, progress.Stalled());
    if (stalled) {
      return absl::DeadlineExceededError(
          absl::StrCat(child, " sent nothing and used no CPU for ",
                       absl::FormatDuration(environment_.child_quiet_period),
                       ": it waits for something that does not come"));
    }
  }
}

void LinuxActions::ForwardChildLog() {
  if (!child_log_.valid()) return;
  channel::ForwardChildLog(child_log_.get(), [this](absl::string_view record) {
    environment_.child_log(absl::StrCat(child_log_prefix_, record));
  });
}

absl::Status LinuxActions::ForwardPtyMaster() {
  if (!terminal_) return absl::OkStatus();
  ASSIGN_OR_RETURN(const CreateOptions* options,
                   Parameters<CreateOptions>(Action::kAwaitInitReady));
  RETURN_IF_ERROR(WaitForInit());
  ASSIGN_OR_RETURN(const UniqueFd master,
                   handshake_->ExpectFd(channel::SyncMessage::kPtyMaster, kPollSlack));
  return console::SendPtyMaster(options->console_socket, master.get());
}

absl::Status LinuxActions::ForwardSeccompListener(const ContainerState& state) {
  if (!seccomp::UsesNotify(state.config().linux().seccomp())) return absl::OkStatus();
  RETURN_IF_ERROR(WaitForInit());
  ASSIGN_OR_RETURN(const UniqueFd listener,
                   handshake_->ExpectFd(channel::SyncMessage::kSeccompListener, kPollSlack));
  return SendSeccompListener(state, statemachine::STATE_CREATING, state.pid(), listener.get());
}

absl::Status LinuxActions::KillClonedInit() {
  // What the init logged up to its failure (or the launcher's).
  ForwardChildLog();
  child_log_.Reset();
  // Killed before its channel closes: an init that saw the channel close
  // would print an error of its own ("the launcher exited") beside the
  // launcher's.
  absl::Status signaled = absl::OkStatus();
  if (init_pidfd_.valid()) signaled = nsenter::PidfdSendSignal(init_pidfd_.get(), SIGKILL);
  handshake_.reset();
  channel_.reset();
  if (!init_pidfd_.valid()) return absl::OkStatus();
  UniqueFd init = std::move(init_pidfd_);
  if (!signaled.ok() && !absl::IsNotFound(signaled)) return signaled;
  // Never an unbounded wait: a frozen init dies only once thawed (cgroup
  // v1), so its cgroup, the container's own, is thawed for it.
  ASSIGN_OR_RETURN(bool exited, nsenter::PidfdHasExited(init.get(), kInitDeathTimeout));
  if (!exited && cgroups_ != nullptr) {
    absl::StatusOr<bool> frozen = cgroups_->IsFrozen();
    if (frozen.ok() && *frozen) (void)cgroups_->Thaw();
    ASSIGN_OR_RETURN(exited, nsenter::PidfdHasExited(init.get(), kKillTimeout));
  }
  if (!exited) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the container init did not die of SIGKILL within ",
        absl::FormatDuration(kInitDeathTimeout + kKillTimeout), " (is a parent cgroup frozen?)"));
  }
  return nsenter::PidfdWait(init.get()).status();
}

absl::Status LinuxActions::Signal(const ContainerState& state, int signal, bool all) {
  VLOG(1) << "container \"" << state.id() << "\": signal " << signal << " to "
          << (all ? "every process of its cgroup" : absl::StrCat("its init, pid ", state.pid()));
  if (all) {
    ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
    if (MadeEveryCgroup(state) ||
        PidNamespaceOf(state).kind() == ContainerState::PidNamespace::KIND_NONE) {
      absl::Status signaled = cgroups->Signal(signal);
      // As runc: a stopped container whose cgroup is gone has nothing left.
      if (absl::IsNotFound(signaled) && state.status() == statemachine::STATE_STOPPED) {
        return absl::OkStatus();
      }
      return signaled;
    }
    // Only the container's own: the cgroup it found may hold others.
    ASSIGN_OR_RETURN(const std::vector<pid_t> pids, ContainerProcesses(state, *cgroups));
    for (const pid_t pid : pids) {
      if (kill(pid, signal) != 0 && errno != ESRCH) {
        return ErrnoStatus("send signal ", signal, " to process ", pid);
      }
    }
    // As below: frozen processes die once thawed.
    if (signal == SIGKILL && state.status() == statemachine::STATE_PAUSED) return cgroups->Thaw();
    return absl::OkStatus();
  }
  absl::StatusOr<UniqueFd> init = OpenInit(state);
  if (absl::IsNotFound(init.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat("container not running: container \"", state.id(), "\" is ",
                     statemachine::StateName(state.status()), ": ", init.status().message()));
  }
  RETURN_IF_ERROR(init.status());
  RETURN_IF_ERROR(nsenter::PidfdSendSignal(init->get(), signal));
  // On cgroup v1 a frozen process dies of SIGKILL only once thawed: as runc
  // does, a paused container is thawed for it.
  if (signal == SIGKILL && state.status() == statemachine::STATE_PAUSED) {
    ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
    return cgroups->Thaw();
  }
  return absl::OkStatus();
}

absl::Status LinuxActions::KillAll(const ContainerState& state, bool force) {
  absl::StatusOr<UniqueFd> init = OpenInit(state);
  if (!init.ok() && !absl::IsNotFound(init.status())) return init.status();
  // With a pid namespace of its own, the init's death killed the rest. As
  // runc, a plain delete kills what an init without one left behind.
  const bool left_behind = !init.ok() && state.pid() > 0 &&
                           PidNamespaceOf(state).kind() != ContainerState::PidNamespace::KIND_NEW;
  if (!init.ok() && !force && !left_behind) return absl::OkStatus();
  // A create killed before it recorded its cgroups leaves only the init.
  const bool has_cgroups = !state.cgroup_paths().empty();
  if (init.ok()) {
    absl::Status signaled = nsenter::PidfdSendSignal(init->get(), SIGKILL);
    if (!signaled.ok() && !absl::IsNotFound(signaled)) return signaled;
  }
  if (has_cgroups) {
    absl::Status killed = Signal(state, SIGKILL, /*all=*/true);
    if (absl::IsNotFound(killed)) return absl::OkStatus();  // its cgroup is gone already
    RETURN_IF_ERROR(killed);
  }
  if (init.ok()) {
    ASSIGN_OR_RETURN(bool exited, nsenter::PidfdHasExited(init->get(), kKillTimeout));
    if (!exited) {
      return absl::DeadlineExceededError(
          absl::StrCat("container init ", state.pid(), " did not die within 10s of SIGKILL"));
    }
  }
  if (!has_cgroups) return absl::OkStatus();
  // The other processes leave the cgroup as they die.
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  const absl::Time deadline = WallClockNow() + kKillTimeout;
  while (true) {
    absl::StatusOr<std::vector<pid_t>> left = ContainerProcesses(state, *cgroups);
    if (absl::IsNotFound(left.status())) return absl::OkStatus();  // its cgroup is gone
    RETURN_IF_ERROR(left.status());
    if (left->empty()) return absl::OkStatus();
    if (WallClockNow() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("container's cgroup is not empty 10s after SIGKILL: ", left->size(),
                       " processes left"));
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
}

absl::StatusOr<cgroups::Manager*> LinuxActions::Cgroups(const ContainerState& state) {
  if (cgroups_ == nullptr) {
    ASSIGN_OR_RETURN(cgroups_, ContainerCgroups(environment_.cgroups, state));
  }
  return cgroups_.get();
}

void LinuxActions::WarnIfCgroupHoldsProcesses() {
  // Cgroups Hull made are empty; one the container found (cgroupsPath) may
  // not be. runc warns and goes on; so does Hull (its kill --all, delete
  // --force and ps keep to the container's own processes).
  if (cgroups_->CreatedPaths().size() == cgroups_->Paths().size()) return;
  absl::StatusOr<std::vector<pid_t>> pids = cgroups_->Processes();
  if (pids.ok() && !pids->empty()) {
    LOG(WARNING) << "container's cgroup is not empty: " << pids->size() << " process(es) found";
  }
}

absl::StatusOr<rootless::RootlessCgroups> RootlessCgroupsOf(const ActionEnvironment& environment,
                                                             const cgroups::Manager& cgroups,
                                                             const config::Spec& spec) {
  if (!environment.rootless_cgroups) return rootless::RootlessCgroups::kUse;
  return rootless::DecideRootlessCgroups(cgroups.Paths(), spec.linux(),
                                         rootless::UserMayUseCgroup);
}

absl::StatusOr<bool> CallerInUserNamespace(const ActionEnvironment& environment) {
  if (environment.in_user_namespace.has_value()) return *environment.in_user_namespace;
  LinuxProcFiles proc("/proc");
  return nsenter::RunningInUserNamespace(proc);
}

absl::Status CheckRootlessCreate(const ActionEnvironment& environment, const std::string& id,
                                 const config::Spec& spec) {
  ASSIGN_OR_RETURN(const bool in_user_namespace, CallerInUserNamespace(environment));
  ASSIGN_OR_RETURN(const rootless::Privilege privilege,
                   rootless::CurrentPrivilege(in_user_namespace));
  RETURN_IF_ERROR(rootless::CheckUnprivilegedSpec(spec, privilege, user::ReadHostFile));
  if (!environment.rootless_cgroups) return absl::OkStatus();
  // Nothing is made until Create: this only computes the paths.
  ASSIGN_OR_RETURN(const std::unique_ptr<cgroups::Manager> cgroups,
                   environment.cgroups.New(spec.linux().cgroups_path(), id, spec.annotations()));
  return RootlessCgroupsOf(environment, *cgroups, spec).status();
}

absl::Status LinuxActions::CreateCgroup(ContainerState& state) {
  const config::Spec& spec = state.config();
  absl::StatusOr<std::unique_ptr<cgroups::Manager>> manager =
      environment_.cgroups.New(spec.linux().cgroups_path(), state.id(), spec.annotations());
  // A malformed cgroupsPath or unit property annotation is the config's fault.
  if (absl::IsInvalidArgument(manager.status())) return InvalidConfiguration(manager.status());
  if (!manager.ok()) return manager.status();
  cgroups_ = *std::move(manager);
  ASSIGN_OR_RETURN(const rootless::RootlessCgroups cgroup_decision,
                   RootlessCgroupsOf(environment_, *cgroups_, spec));
  // Only a systemd unit has properties; without one they would be ignored.
  if (cgroup_decision == rootless::RootlessCgroups::kNone || cgroups_->SystemdUnit().empty()) {
    if (std::optional<std::string> annotation =
            cgroups::systemd::FirstPropertyAnnotation(spec.annotations())) {
      return InvalidConfiguration(absl::InvalidArgumentError(absl::StrCat(
          "annotation \"", *annotation,
          "\" sets a property of the container's systemd unit, which only the systemd cgroup "
          "driver (--systemd-cgroup) makes")));
    }
  }
  if (cgroup_decision == rootless::RootlessCgroups::kNone) {
    VLOG(1) << "container \"" << state.id() << "\": rootless, without a cgroup of its own";
    cgroups_ = std::make_unique<cgroups::NoCgroupManager>();
    state.set_no_cgroup(true);
    if (absl::Status rdt = CreateIntelRdt(state); !rdt.ok()) return InvalidConfiguration(rdt);
    return absl::OkStatus();
  }
  // Saved before any mkdir, with what Create is about to make: a launcher
  // killed from here on leaves delete the directories to remove.
  cgroups::LinuxCgroupFs host_fs;
  for (const auto& [controller, path] : cgroups_->Paths()) {
    (*state.mutable_cgroup_paths())[controller] = path;
    if (std::string missing = cgroups::TopmostMissing(host_fs, path); !missing.empty()) {
      (*state.mutable_cgroup_created_paths())[controller] = std::move(missing);
    }
  }
  state.set_cgroup_systemd_unit(cgroups_->SystemdUnit());
  RETURN_IF_ERROR(SaveProgress(state));
  CrashPoint("cgroup-paths-saved");
  RETURN_IF_ERROR(cgroups_->Create());
  // As runc: an init cloned into a cgroup someone froze would hang in the
  // kernel before its first step (and on cgroup v1 not even die of SIGKILL).
  absl::StatusOr<bool> frozen = cgroups_->IsFrozen();
  if (!frozen.ok() || *frozen) {
    (void)cgroups_->Destroy();
    if (!frozen.ok()) return frozen.status();
    return UnexpectedlyFrozen("the cgroup the config names is frozen; thaw it first");
  }
  CrashPoint("cgroups-made");
  WarnIfCgroupHoldsProcesses();
  // As runc: the config's rules, the devices the config creates, then the
  // defaults every container may use.
  config::Resources resources = spec.linux().resources();
  for (const config::Device& device : spec.linux().devices()) {
    if (device.type() != "c" && device.type() != "b" && device.type() != "u") continue;
    config::DeviceCgroup& rule = *resources.add_devices();
    rule.set_allow(true);
    rule.set_type(device.type() == "b" ? "b" : "c");
    rule.set_major(device.major());
    rule.set_minor(device.minor());
    rule.set_access("rwm");
  }
  for (const config::DeviceCgroup& rule : cgroups::DefaultDeviceRules()) {
    *resources.add_devices() = rule;
  }
  if (environment_.rootless_cgroups) {
    // As runc's rootless cgroup managers: device rules are applied where
    // they can be, and their failure ignored (a cgroup v2 device filter is
    // an eBPF program, which an unprivileged user may not attach); a
    // container without privilege has only the devices its user may open.
    config::Resources devices;
    *devices.mutable_devices() = std::move(*resources.mutable_devices());
    resources.clear_devices();
    if (absl::Status applied = cgroups_->Apply(devices); !applied.ok()) {
      VLOG(1) << "rootless: device rules not applied: " << applied.message();
    }
  }
  if (absl::Status applied = cgroups_->Apply(resources); !applied.ok()) {
    (void)cgroups_->Destroy();
    // What the host's cgroups cannot do (refused by the checks before any
    // write, or EINVAL from the kernel) is the config's fault.
    if (absl::IsInvalidArgument(applied) || absl::IsFailedPrecondition(applied)) {
      return InvalidConfiguration(applied);
    }
    return applied;
  }
  if (absl::Status rdt = CreateIntelRdt(state); !rdt.ok()) {
    (void)cgroups_->Destroy();
    return InvalidConfiguration(rdt);
  }
  state.clear_cgroup_created_paths();
  for (const auto& [controller, path] : cgroups_->CreatedPaths()) {
    (*state.mutable_cgroup_created_paths())[controller] = path;
  }
  VLOG(1) << "container \"" << state.id() << "\": cgroups: "
          << absl::StrJoin(cgroups_->Paths(), ", ", [](std::string* out, const auto& entry) {
               absl::StrAppend(out, entry.second);
             });
  return absl::OkStatus();
}

absl::Status LinuxActions::UpdateResources(ContainerState& state) {
  // Container::UpdateIntelRdt: the schemata, not the cgroups.
  if (const auto* rdt = std::get_if<config::IntelRdt>(&parameters_)) {
    RETURN_IF_ERROR(UpdateIntelRdt(state, *rdt));
    *state.mutable_config()->mutable_linux()->mutable_intel_rdt() = *rdt;
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const config::Resources* resources,
                   Parameters<config::Resources>(Action::kUpdateResources));
  // Device rules are not changed by update, as with runc. The container's
  // own pass (containerd sends them with every update); others are refused
  // by name rather than recorded and not applied.
  config::Resources& recorded = *state.mutable_config()->mutable_linux()->mutable_resources();
  if (!resources->devices().empty() && !SameDeviceRules(resources->devices(), recorded.devices())) {
    return InvalidConfiguration(absl::InvalidArgumentError(
        "linux.resources.devices: update changes no device rules (as runc's); give the "
        "container's own or none"));
  }
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  config::Resources update = *resources;
  update.clear_devices();
  RETURN_IF_ERROR(cgroups->Apply(update));
  *update.mutable_devices() = std::move(*recorded.mutable_devices());
  recorded = std::move(update);
  return absl::OkStatus();
}

absl::Status LinuxActions::SpawnExec(const ContainerState& state) {
  ASSIGN_OR_RETURN(const ExecParameters* exec, Parameters<ExecParameters>(Action::kSpawnExec));
  if (state.status() == statemachine::STATE_PAUSED && !exec->options.ignore_paused) {
    return absl::FailedPreconditionError(
        "cannot exec in a paused container (--ignore-paused execs anyway: the process stays "
        "frozen until the container is resumed)");
  }
  absl::StatusOr<UniqueFd> init = OpenInit(state);
  if (absl::IsNotFound(init.status())) {
    return absl::FailedPreconditionError("cannot exec in a stopped container");
  }
  RETURN_IF_ERROR(init.status());
  config::Spec spec = state.config();
  *spec.mutable_process() = exec->process;
  RETURN_IF_ERROR(InvalidConfiguration(config::ValidateSpec(spec)));
  if (exec->process.terminal() != (exec->options.console_socket >= 0)) {
    return absl::InvalidArgumentError(
        exec->process.terminal() ? "process.terminal: a terminal needs a console socket"
                                 : "a console socket needs process.terminal");
  }
  // Every namespace the config lists, made by the init or joined by it.
  uint64_t namespace_flags = 0;
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    ASSIGN_OR_RETURN(const nsenter::NamespaceType type,
                     nsenter::NamespaceTypeFromOciName(ns.type()));
    namespace_flags |= nsenter::CloneFlag(type);
  }
  ASSIGN_OR_RETURN(channel::SyncChannelPair channels,
                   channel::CreateSyncChannelPair("exec'd process"));
  channel::ChildLogPair exec_log;  // none unless the caller wants it
  if (environment_.child_log) {
    ASSIGN_OR_RETURN(exec_log, channel::CreateChildLogPair());
  }
  ASSIGN_OR_RETURN(const std::optional<seccomp::Filter> seccomp_filter,
                   CompileSeccompFilter(spec));
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  ASSIGN_OR_RETURN(const cgroups::CloneTargets targets,
                   cgroups->OpenCloneTargets(exec->options.sub_cgroups));
  InitContext context{
      .spec = spec,
      .container_id = state.id(),
      .rootfs = RootfsPath(state),
      .preserve_fds = exec->options.preserve_fds,
      .channel = channels.child,
      .v1_tasks_files = targets.v1_tasks_files,
      .cgroup2_directory_fd =
          targets.cgroup2_directory.valid() ? targets.cgroup2_directory.get() : -1,
      .log_fd = exec_log.child.get(),
      .container_init_pidfd = init->get(),
      .container_namespace_flags = namespace_flags,
      .seccomp_filter = seccomp_filter ? &*seccomp_filter : nullptr,
  };
  ASSIGN_OR_RETURN(nsenter::ClonedProcess forked, environment_.spawner.Spawn(context));
  channels.child = channel::SyncChannel(UniqueFd(), "");
  exec_log.child.Reset();
  child_log_ = std::move(exec_log.parent);
  child_log_prefix_ = absl::StrCat("container \"", state.id(), "\": exec ", forked.pid, ": ");

  // The forked process reports the pid of its child, the exec'd process, in
  // the container's pid namespace; that one's execve closes the channel.
  // Both may fail, in either order: read until the channel closes. The
  // exec'd process's seccomp listener may come before its pid: it goes to
  // the agent once both are known.
  pid_t pid = 0;
  UniqueFd seccomp_listener;
  absl::Status failed = absl::OkStatus();
  // Watched: the forked process, then the exec'd process once its pid came.
  CpuProgress progress(forked.pid, QuietChecks(environment_.child_quiet_period));
  while (true) {
    const absl::Status waited =
        WaitForChild(channels.parent.fd(), progress, "the exec'd process", /*check_frozen=*/false);
    absl::StatusOr<channel::ReceivedSyncMessage> received =
        waited.ok() ? channels.parent.ReceiveWithFds(kPollSlack)
                    : absl::StatusOr<channel::ReceivedSyncMessage>(waited);
    if (absl::IsUnavailable(received.status())) break;  // closed: exec'd, or exited
    if (!received.ok()) {
      failed = received.status();
      break;
    }
    const channel::SyncMessage& message = received->message;
    if (message.has_exec_started()) {
      pid = message.exec_started().pid();
    } else if (message.has_child_error()) {
      failed = channel::ChildErrorToStatus(message.child_error());
    } else if (message.has_pty_master() && received->fds.size() == 1 &&
               exec->options.console_socket >= 0 && failed.ok()) {
      failed = console::SendPtyMaster(exec->options.console_socket, received->fds[0].get());
    } else if (message.has_seccomp_listener() && received->fds.size() == 1) {
      seccomp_listener = std::move(received->fds[0]);
    } else {
      failed = absl::InternalError(
          absl::StrCat("exec'd process sent ", channel::KindName(message.kind_case())));
    }
    if (seccomp_listener.valid() && pid > 0 && failed.ok()) {
      failed = SendSeccompListener(state, state.status(), pid, seccomp_listener.get());
      seccomp_listener.Reset();
    }
    progress.Watch(pid > 0 ? pid : forked.pid);
  }
  // Closed: everything the exec'd process logged is queued.
  ForwardChildLog();
  child_log_.Reset();
  // The forked process, the caller's child, is done (or, on a timeout, dies).
  if (!failed.ok()) (void)nsenter::PidfdSendSignal(forked.pidfd.get(), SIGKILL);
  (void)nsenter::PidfdWait(forked.pidfd.get());
  if (pid <= 0 && failed.ok()) {
    failed = absl::InternalError("exec'd process exited before sending ExecStarted");
  }
  if (pid <= 0) return failed;
  // The exec'd process is the caller's child too (CLONE_PARENT): its pid
  // names it until it is reaped.
  ASSIGN_OR_RETURN(UniqueFd pidfd, nsenter::PidfdOpen(pid));
  if (!failed.ok()) {
    (void)nsenter::PidfdSendSignal(pidfd.get(), SIGKILL);
    (void)nsenter::PidfdWait(pidfd.get());
    return failed;
  }
  exec_process_ = nsenter::ClonedProcess{.pid = pid, .pidfd = std::move(pidfd)};
  return absl::OkStatus();
}

}  // namespace hull::runtime
