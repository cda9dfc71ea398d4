#include "runtime/linux_actions.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/proc_stat.h"
#include "glog/logging.h"
#include "cgroups/device_rules.h"
#include "cgroups/factory.h"
#include "nsenter/id_map.h"
#include "nsenter/namespace.h"
#include "nsenter/pidfd.h"
#include "nsenter/setns.h"
#include "runtime/oci_state.h"
#include "runtime/process/exec_fifo.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "statemachine/process_probe.h"

namespace hull::runtime {
namespace {

using statemachine::Action;
using statemachine::ContainerState;

// How long the init may take to set the container up before create gives up.
constexpr absl::Duration kInitTimeout = absl::Seconds(60);
// How long killed processes may take to die before delete gives up.
constexpr absl::Duration kKillTimeout = absl::Seconds(10);

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

// Joins `path` as the caller's pid namespace for children; returns an fd on
// the caller's own, to go back to.
absl::StatusOr<UniqueFd> EnterPidNamespaceForClone(const std::string& path) {
  ASSIGN_OR_RETURN(UniqueFd own, nsenter::OpenNamespace("/proc/self/ns/pid",
                                                        nsenter::NamespaceType::kPid));
  RETURN_IF_ERROR(nsenter::JoinNamespace(path, nsenter::NamespaceType::kPid));
  return own;
}

}  // namespace

absl::StatusOr<std::unique_ptr<cgroups::Manager>> ContainerCgroups(const ContainerState& state) {
  ASSIGN_OR_RETURN(cgroups::Layout layout, cgroups::DetectLayout());
  const std::map<std::string, std::string> paths(state.cgroup_paths().begin(),
                                                 state.cgroup_paths().end());
  const std::map<std::string, std::string> created(state.cgroup_created_paths().begin(),
                                                   state.cgroup_created_paths().end());
  return cgroups::RestoreManager(layout, paths, created);
}

std::string LinuxActions::ContainerDir(const ContainerState& state) const {
  return absl::StrCat(state_root_, "/", state.id());
}

absl::Status LinuxActions::Run(Action action, ContainerState& state) {
  switch (action) {
    case Action::kCreateCgroup:
      return CreateCgroup(state);
    case Action::kCreateExecFifo: {
      ASSIGN_OR_RETURN(exec_fifo_, process::CreateExecFifo(ContainerDir(state), 0, 0));
      return absl::OkStatus();
    }
    case Action::kCloneInit:
      return CloneInit(state);
    case Action::kRunPrestartHooks:
    case Action::kRunCreateRuntimeHooks:
    case Action::kRunPoststartHooks:
    case Action::kRunPoststopHooks:
      if (state.config().has_hooks()) {
        return absl::UnimplementedError("hooks are not supported yet");
      }
      return absl::OkStatus();
    case Action::kRunCreateContainerHooks:
      return LetInitFinish();
    case Action::kReleaseExecFifo: {
      ASSIGN_OR_RETURN(UniqueFd init, OpenInit(state));
      return process::ReleaseExecFifo(ContainerDir(state), init.get());
    }
    case Action::kSignal:
      return Signal(state, signal_, signal_all_);
    case Action::kKillAll:
      return KillAll(state);
    case Action::kDestroy: {
      RETURN_IF_ERROR(process::RemoveExecFifo(ContainerDir(state)));
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
      return absl::UnimplementedError("exec is not supported yet");
    case Action::kCheckpoint:
    case Action::kRestore:
      return absl::UnimplementedError("checkpoint and restore are not supported yet");
  }
  return absl::InternalError("unknown action");
}

absl::Status LinuxActions::Undo(Action action, ContainerState& state) {
  switch (action) {
    case Action::kCreateExecFifo:
      exec_fifo_.Reset();
      return process::RemoveExecFifo(ContainerDir(state));
    case Action::kCloneInit:
      return KillClonedInit();
    case Action::kCreateCgroup: {
      ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
      return cgroups->Destroy();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status LinuxActions::CloneInit(ContainerState& state) {
  const config::Spec& spec = state.config();
  ASSIGN_OR_RETURN(nsenter::NamespacePlan plan, nsenter::PlanNamespaces(spec.linux()));
  if ((plan.clone_flags & CLONE_NEWNS) == 0) {
    return absl::InvalidArgumentError(
        "linux.namespaces: Hull needs a new mount namespace for the container");
  }
  std::string rootfs = RootfsPath(state);
  if (access(rootfs.c_str(), F_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("rootfs \"", rootfs, "\": ", strerror(errno)));
  }
  // Made before the clone: the init waits for them.
  nsenter::IdMaps id_maps;
  if (plan.clone_flags & CLONE_NEWUSER) {
    ASSIGN_OR_RETURN(id_maps, nsenter::FormatIdMaps(spec.linux(), /*deny_setgroups=*/false));
  }
  ASSIGN_OR_RETURN(channel::SyncChannelPair channels, channel::CreateSyncChannelPair());

  UniqueFd own_pid_namespace;
  if (!plan.pid_namespace_for_clone.empty()) {
    ASSIGN_OR_RETURN(own_pid_namespace, EnterPidNamespaceForClone(plan.pid_namespace_for_clone));
  }
  // The init is born in its cgroup2 cgroup and joins its v1 cgroups itself,
  // first thing (container_init.cc, JoinCgroups).
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  ASSIGN_OR_RETURN(const cgroups::CloneTargets targets, cgroups->OpenCloneTargets());
  absl::StatusOr<nsenter::ClonedProcess> cloned = cloner_.Clone(
      {.namespace_flags = plan.clone_flags,
       .cgroup_fd = targets.cgroup2_directory.valid() ? targets.cgroup2_directory.get() : -1});
  if (cloned.ok() && cloned->in_child()) {
    channels.parent = channel::SyncChannel(UniqueFd(), "");
    InitContext context{
        .spec = spec,
        .container_id = state.id(),
        .rootfs = rootfs,
        .namespaces = plan,
        .no_pivot = create_.no_pivot,
        .no_new_keyring = create_.no_new_keyring,
        .preserve_fds = create_.preserve_fds,
        .channel = channels.child,
        .exec_fifo_fd = exec_fifo_.get(),
        .v1_tasks_files = targets.v1_tasks_files,
    };
    RunContainerInit(context, init_steps_);
  }
  if (own_pid_namespace.valid() && setns(own_pid_namespace.get(), CLONE_NEWPID) != 0) {
    PLOG(ERROR) << "return to the launcher's pid namespace";
  }
  RETURN_IF_ERROR(cloned.status());
  init_pidfd_ = std::move(cloned->pidfd);
  channels.child = channel::SyncChannel(UniqueFd(), "");
  channel_.emplace(std::move(channels.parent));
  // From here on a failure kills the init (Undo is not run for the failing
  // action itself).
  absl::Cleanup kill_init = [this] { (void)KillClonedInit(); };

  if (plan.clone_flags & CLONE_NEWUSER) {
    LinuxProcFiles host_proc("/proc");
    RETURN_IF_ERROR(InitErrorOr(nsenter::WriteIdMaps(host_proc, cloned->pid, id_maps)));
    RETURN_IF_ERROR(channel_->Send([] {
      channel::SyncMessage message;
      message.mutable_id_maps_written();
      return message;
    }()));
  }
  RETURN_IF_ERROR(channel_->Expect(channel::SyncMessage::kReadyForHooks, kInitTimeout));

  ASSIGN_OR_RETURN(ProcStat stat, ReadProcStat(cloned->pid));
  state.set_pid(cloned->pid);
  state.set_pid_start_time(stat.start_time);
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    ASSIGN_OR_RETURN(nsenter::NamespaceType type, nsenter::NamespaceTypeFromOciName(ns.type()));
    (*state.mutable_namespace_paths())[ns.type()] =
        ns.path().empty() ? absl::StrCat("/proc/", cloned->pid, "/ns/", nsenter::ProcNsName(type))
                          : ns.path();
  }
  std::move(kill_init).Cancel();
  return absl::OkStatus();
}

absl::Status LinuxActions::InitErrorOr(absl::Status status) {
  if (status.ok() || !channel_) return status;
  return channel_->PeerErrorOr(std::move(status));
}

absl::Status LinuxActions::LetInitFinish() {
  if (!channel_) return absl::InternalError("the container init's channel is gone");
  channel::SyncMessage done;
  done.mutable_hooks_done();
  RETURN_IF_ERROR(channel_->Send(done));
  RETURN_IF_ERROR(channel_->Expect(channel::SyncMessage::kChildReady, kInitTimeout));
  channel_.reset();
  exec_fifo_.Reset();
  return absl::OkStatus();
}

absl::Status LinuxActions::KillClonedInit() {
  channel_.reset();
  if (!init_pidfd_.valid()) return absl::OkStatus();
  absl::Status signaled = cloner_.Signal(init_pidfd_.get(), SIGKILL);
  if (!signaled.ok() && !absl::IsNotFound(signaled)) return signaled;
  absl::StatusOr<nsenter::ExitStatus> exited = cloner_.Wait(init_pidfd_.get());
  init_pidfd_.Reset();
  return exited.status();
}

absl::Status LinuxActions::Signal(const ContainerState& state, int signal, bool all) {
  if (all) {
    ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
    return cgroups->Signal(signal);
  }
  absl::StatusOr<UniqueFd> init = OpenInit(state);
  if (absl::IsNotFound(init.status())) {
    return absl::FailedPreconditionError("container not running");
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

absl::Status LinuxActions::KillAll(const ContainerState& state) {
  absl::StatusOr<UniqueFd> init = OpenInit(state);
  if (absl::IsNotFound(init.status())) {
    if (!force_delete_) return absl::OkStatus();
    absl::Status killed = Signal(state, SIGKILL, /*all=*/true);
    if (absl::IsNotFound(killed)) return absl::OkStatus();  // its cgroup is gone already
    RETURN_IF_ERROR(killed);
  } else {
    RETURN_IF_ERROR(init.status());
    RETURN_IF_ERROR(Signal(state, SIGKILL, /*all=*/true));
    ASSIGN_OR_RETURN(bool exited, nsenter::PidfdHasExited(init->get(), kKillTimeout));
    if (!exited) {
      return absl::DeadlineExceededError(
          absl::StrCat("container init ", state.pid(), " did not die within 10s of SIGKILL"));
    }
  }
  // The other processes leave the cgroup as they die.
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  const absl::Time deadline = absl::Now() + kKillTimeout;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<pid_t> left, cgroups->Processes());
    if (left.empty()) return absl::OkStatus();
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("container's cgroup is not empty 10s after SIGKILL: ", left.size(),
                       " processes left"));
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
}

absl::StatusOr<cgroups::Manager*> LinuxActions::Cgroups(const ContainerState& state) {
  if (cgroups_ == nullptr) {
    ASSIGN_OR_RETURN(cgroups_, ContainerCgroups(state));
  }
  return cgroups_.get();
}

absl::Status LinuxActions::CreateCgroup(ContainerState& state) {
  const config::Spec& spec = state.config();
  ASSIGN_OR_RETURN(cgroups::Layout layout, cgroups::DetectLayout());
  ASSIGN_OR_RETURN(cgroups_, cgroups::NewManager(layout, spec.linux().cgroups_path(), state.id()));
  RETURN_IF_ERROR(cgroups_->Create());
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
  if (absl::Status applied = cgroups_->Apply(resources); !applied.ok()) {
    (void)cgroups_->Destroy();
    return applied;
  }
  for (const auto& [controller, path] : cgroups_->Paths()) {
    (*state.mutable_cgroup_paths())[controller] = path;
  }
  for (const auto& [controller, path] : cgroups_->CreatedPaths()) {
    (*state.mutable_cgroup_created_paths())[controller] = path;
  }
  return absl::OkStatus();
}

absl::Status LinuxActions::UpdateResources(ContainerState& state) {
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  // Device rules are not changed by update (as with runc).
  config::Resources update = resources_;
  update.clear_devices();
  RETURN_IF_ERROR(cgroups->Apply(update));
  *state.mutable_config()->mutable_linux()->mutable_resources() = resources_;
  return absl::OkStatus();
}

}  // namespace hull::runtime
