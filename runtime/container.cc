#include "runtime/container.h"

#include <signal.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "cgroups/factory.h"
#include "cgroups/systemd/systemd_factory.h"
#include "config/namespaces.h"
#include "config/validator.h"
#include "nsenter/clone.h"
#include "base/status_util.h"
#include "base/wall_clock.h"
#include "runtime/criu/descriptors.h"
#include "runtime/criu/swrk.h"
#include "runtime/intel_rdt.h"
#include "runtime/linux_actions.h"
#include "runtime/notify/notify_socket.h"
#include "runtime/network_stats.h"
#include "runtime/oci_state.h"
#include "runtime/recorded_config.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "runtime/runc_errors.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/engine.h"
#include "statemachine/process_probe.h"
#include "statemachine/state_store.h"

namespace hull::runtime {
namespace {

using statemachine::ContainerState;
using statemachine::Event;

// How long `delete --force` waits for a killed container to stop.
constexpr absl::Duration kForceDeleteTimeout = absl::Seconds(10);

// Its name is looked up where it is shown (ToOciState), not on every create.
ContainerState::Owner CurrentOwner() {
  ContainerState::Owner owner;
  owner.set_uid(getuid());
  return owner;
}

// What Create and Restore refuse before anything is made: a config the
// validator refuses, a relative bundle path.
absl::Status CheckNewContainer(const config::Spec& spec, const std::string& bundle) {
  RETURN_IF_ERROR(InvalidConfiguration(config::ValidateSpec(spec)));
  if (bundle.empty() || bundle.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle path must be absolute: \"", bundle, "\""));
  }
  return absl::OkStatus();
}

// The state a new container (created or restored) starts from.
ContainerState NewContainerState(const std::string& id, const std::string& bundle,
                                 config::Spec spec) {
  ContainerState initial;
  initial.set_id(id);
  initial.set_bundle(bundle);
  *initial.mutable_owner() = CurrentOwner();
  initial.mutable_annotations()->insert(spec.annotations().begin(), spec.annotations().end());
  // What the commands after it need to know of the config (Actions::ReadsConfig).
  RecordConfigFacts(spec, initial);
  *initial.mutable_config() = std::move(spec);
  initial.set_rootfs(RootfsPath(initial));
  return initial;
}

// A frozen cgroup makes a running container paused.
class CgroupFreezeProbe final : public statemachine::FreezeProbe {
 public:
  explicit CgroupFreezeProbe(cgroups::ManagerFactory& cgroups) : cgroups_(cgroups) {}

  absl::StatusOr<bool> IsFrozen(const ContainerState& state) override {
    ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, ContainerCgroups(cgroups_, state));
    return cgroups->IsFrozen();
  }

 private:
  cgroups::ManagerFactory& cgroups_;
};

}  // namespace

struct Runtime::Impl {
  explicit Impl(RuntimeOptions options)
      : host_cgroups(options.rootless_cgroups),
        default_cgroups(host_cgroups, options.systemd_cgroup,
                        // As runc's: a rootless container's scope is the user's systemd's.
                        options.rootless_cgroups ? cgroups::systemd::SystemdInstance::kUser
                                                 : cgroups::systemd::SystemdInstance::kSystem),
        spawner(options.spawner != nullptr ? *options.spawner : default_spawner),
        cgroups(options.cgroups != nullptr ? *options.cgroups : default_cgroups),
        probe(options.probe != nullptr ? *options.probe : linux_probe),
        freeze_probe(cgroups),
        swrk(options.criu_path),
        criu(options.criu != nullptr ? *options.criu : swrk),
        store(options.state_root),
        engine(&store, &probe, &freeze_probe),
        environment{.state_root = store.root(),
                    .spawner = spawner,
                    .cgroups = cgroups,
                    .child_log = std::move(options.child_log),
                    .rootless_cgroups = options.rootless_cgroups,
                    .in_user_namespace = options.in_user_namespace,
                    .criu = &criu} {}

  // The defaults, used when the options name none.
  nsenter::LinuxProcessCloner cloner;
  InProcessSpawner default_spawner{cloner};
  cgroups::HostManagerFactory host_cgroups;
  cgroups::systemd::SystemdManagerFactory default_cgroups;
  statemachine::LinuxProcessProbe linux_probe;

  InitSpawner& spawner;
  cgroups::ManagerFactory& cgroups;
  statemachine::ProcessProbe& probe;
  CgroupFreezeProbe freeze_probe;
  criu::SwrkRunner swrk;
  criu::Runner& criu;
  statemachine::StateStore store;
  statemachine::Engine engine;
  const ActionEnvironment environment;

  absl::StatusOr<ContainerState> Fire(const std::string& id, Event event,
                                      CommandParameters parameters = {}) {
    LinuxActions actions(environment, std::move(parameters));
    return engine.Fire(id, event, actions);
  }

  absl::StatusOr<std::unique_ptr<cgroups::Manager>> CgroupsOf(const ContainerState& state) {
    return ContainerCgroups(cgroups, state);
  }
};

Runtime::Runtime(std::string state_root) : Runtime(RuntimeOptions{.state_root = std::move(state_root)}) {}

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Runtime::~Runtime() = default;

absl::StatusOr<Container> Runtime::Create(const std::string& id, config::Spec spec,
                                          const CreateOptions& options) {
  RETURN_IF_ERROR(CheckNewContainer(spec, options.bundle));
  RETURN_IF_ERROR(CheckRootlessCreate(impl_->environment, id, spec));
  // Relative bind sources are the bundle's: absolute from here on, in the
  // persisted config too (exec and the hooks see what the init mounted).
  rootfs::ResolveBindSources(spec, options.bundle);
  if (options.notify_socket) {
    notify::AddToSpec(spec, absl::StrCat(impl_->environment.state_root, "/", id));
  }
  ContainerState initial = NewContainerState(id, options.bundle, std::move(spec));

  LinuxActions actions(impl_->environment, options);
  ASSIGN_OR_RETURN(const ContainerState created, impl_->engine.Create(std::move(initial), actions));
  return Container(this, id, created.pid(), actions.TakeInitPidfd());
}

absl::StatusOr<Container> Runtime::Restore(const std::string& id, config::Spec spec,
                                           const RestoreOptions& options) {
  RETURN_IF_ERROR(CheckNewContainer(spec, options.bundle));
  // Refused before anything is made (the restore action reads the file).
  const std::string descriptors = absl::StrCat(options.image_path, "/", criu::kDescriptorsFile);
  if (access(descriptors.c_str(), R_OK) != 0) {
    return ErrnoStatus("not a checkpoint image directory: \"", descriptors, "\"");
  }
  rootfs::ResolveBindSources(spec, options.bundle);
  ContainerState initial = NewContainerState(id, options.bundle, std::move(spec));

  LinuxActions actions(impl_->environment, options);
  ASSIGN_OR_RETURN(const ContainerState restored,
                   impl_->engine.Restore(std::move(initial), actions));
  return Container(this, id, restored.pid(), actions.TakeInitPidfd());
}

absl::StatusOr<Container> Runtime::Load(const std::string& id) {
  RETURN_IF_ERROR(impl_->store.Exists(id));
  return Container(this, id);
}

absl::StatusOr<std::vector<std::string>> Runtime::List() const { return impl_->store.List(); }

absl::Status Runtime::RemoveAbandoned(const std::string& id) {
  return impl_->store.RemoveAbandoned(id);
}

absl::StatusOr<ContainerState> Container::State() const { return runtime_->impl_->engine.Get(id_); }

absl::StatusOr<ContainerState> Container::StateWithoutConfig() const {
  return runtime_->impl_->engine.GetWithoutConfig(id_);
}

absl::Status Container::Start() { return runtime_->impl_->Fire(id_, Event::kStart).status(); }

absl::Status Container::Signal(int signal, bool all) {
  return runtime_->impl_->Fire(id_, Event::kKill, SignalParameters{.signal = signal, .all = all})
      .status();
}

absl::Status Container::Pause() { return runtime_->impl_->Fire(id_, Event::kPause).status(); }

absl::Status Container::Resume() { return runtime_->impl_->Fire(id_, Event::kResume).status(); }

absl::StatusOr<ExecProcess> Container::Exec(const config::Process& process,
                                            const ExecOptions& options) {
  LinuxActions actions(runtime_->impl_->environment,
                       ExecParameters{.process = process, .options = options});
  RETURN_IF_ERROR(runtime_->impl_->engine.Fire(id_, Event::kExec, actions).status());
  nsenter::ClonedProcess started = actions.TakeExecProcess();
  return ExecProcess(started.pid, std::move(started.pidfd));
}

absl::StatusOr<nsenter::ExitStatus> ExecProcess::Wait() {
  if (!pidfd_.valid()) return absl::FailedPreconditionError("the exec'd process was waited for");
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, nsenter::PidfdWait(pidfd_.get()));
  pidfd_.Reset();
  return exit;
}

absl::Status Container::Update(const config::Resources& resources) {
  return runtime_->impl_->Fire(id_, Event::kUpdate, resources).status();
}

absl::Status Container::UpdateIntelRdt(const config::IntelRdt& rdt) {
  ASSIGN_OR_RETURN(const ContainerState state, State());
  if (!state.config().linux().has_intel_rdt()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "container ", id_, " was created without linux.intelRdt: it has no Intel RDT group"));
  }
  config::IntelRdt updated = rdt;
  updated.set_clos_id(state.config().linux().intel_rdt().clos_id());
  updated.set_enable_monitoring(state.config().linux().intel_rdt().enable_monitoring());
  return runtime_->impl_->Fire(id_, Event::kUpdate, std::move(updated)).status();
}

absl::Status Container::Checkpoint(const CheckpointOptions& options) {
  const Event event = options.leave_running || options.pre_dump ? Event::kCheckpointLeaveRunning
                                                                : Event::kCheckpoint;
  return runtime_->impl_->Fire(id_, event, options).status();
}

absl::StatusOr<std::vector<pid_t>> Container::Processes() const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, runtime_->impl_->CgroupsOf(state));
  return ContainerProcesses(state, *cgroups);
}

absl::StatusOr<cgroups::MemoryEvents> Container::MemoryEvents(
    const cgroups::MemoryEventOptions& options) const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, runtime_->impl_->CgroupsOf(state));
  return cgroups::MemoryEvents::ForPaths(cgroups->Paths(), options);
}

absl::StatusOr<cgroups::Stats> Container::Stats() const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, runtime_->impl_->CgroupsOf(state));
  ASSIGN_OR_RETURN(cgroups::Stats stats, cgroups->GetStats());
  RETURN_IF_ERROR(AddIntelRdtStats(state, stats));
  // A container with its own network namespace: the traffic of its
  // interfaces, read through its init while it lives.
  const bool own_network = config::CreatesNamespace(state.config(), "network");
  if (own_network && state.status() != statemachine::STATE_STOPPED) {
    ASSIGN_OR_RETURN(std::vector<cgroups::NetworkInterface> interfaces,
                     NetworkInterfacesOf(state.pid()));
    for (cgroups::NetworkInterface& interface : interfaces) {
      *stats.add_network_interfaces() = std::move(interface);
    }
  }
  return stats;
}

absl::StatusOr<nsenter::ExitStatus> Container::Wait() {
  if (!init_pidfd_.valid()) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", id_, ": only the process that created it can wait for it"));
  }
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, nsenter::PidfdWait(init_pidfd_.get()));
  init_pidfd_.Reset();
  return exit;
}

absl::Status Container::Delete(bool force) {
  // --force: a running or paused container is killed first. The state is
  // read without its config: the kill and the delete read the config file
  // only when they need it (Actions::ReadsConfig).
  const auto kill_then_delete = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(ContainerState state, StateWithoutConfig());
    if (state.status() == statemachine::STATE_RUNNING ||
        state.status() == statemachine::STATE_PAUSED) {
      RETURN_IF_ERROR(Signal(SIGKILL, /*all=*/true));
      absl::Time deadline = WallClockNow() + kForceDeleteTimeout;
      while (true) {
        ASSIGN_OR_RETURN(state, StateWithoutConfig());
        if (state.status() == statemachine::STATE_STOPPED) break;
        if (WallClockNow() > deadline) {
          return absl::DeadlineExceededError(
              absl::StrCat("container ", id_, " did not stop after SIGKILL"));
        }
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
    return runtime_->impl_->Fire(id_, Event::kDelete, DeleteParameters{.force = true}).status();
  };
  if (force) {
    const absl::Status deleted = kill_then_delete();
    // The state or config file is damaged (not some cgroup file): the
    // container is removed from what can be salvaged.
    if (absl::IsDataLoss(deleted) && absl::IsDataLoss(State().status())) {
      LinuxActions actions(runtime_->impl_->environment, DeleteParameters{.force = true});
      return runtime_->impl_->engine.RemoveDamaged(id_, actions);
    }
    RETURN_IF_ERROR(deleted);
  } else {
    RETURN_IF_ERROR(
        runtime_->impl_->Fire(id_, Event::kDelete, DeleteParameters{.force = false}).status());
  }
  // When this process created the container, the dead init is its child:
  // reap it (a zombie already counts as stopped).
  if (init_pidfd_.valid()) {
    RETURN_IF_ERROR(nsenter::PidfdWait(init_pidfd_.get()).status());
    init_pidfd_.Reset();
  }
  return absl::OkStatus();
}

}  // namespace hull::runtime
