#include "runtime/container.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "config/namespaces.h"
#include "config/validator.h"
#include "nsenter/clone.h"
#include "runtime/linux_actions.h"
#include "runtime/network_stats.h"
#include "base/status_macros.h"

namespace hull::runtime {
namespace {

using statemachine::ContainerState;
using statemachine::Event;

// How long `delete --force` waits for a killed container to stop.
constexpr absl::Duration kForceDeleteTimeout = absl::Seconds(10);

ContainerState::Owner CurrentOwner() {
  ContainerState::Owner owner;
  owner.set_uid(getuid());
  // runc leaves the owner empty for root.
  if (getuid() != 0) {
    if (struct passwd* entry = getpwuid(getuid())) owner.set_user_name(entry->pw_name);
  }
  return owner;
}

}  // namespace

absl::StatusOr<bool> Runtime::CgroupFreezeProbe::IsFrozen(const ContainerState& state) {
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, ContainerCgroups(state));
  return cgroups->IsFrozen();
}

Runtime::Runtime(std::string state_root, absl::Span<const InitStep> init_steps)
    : init_steps_(init_steps), store_(std::move(state_root)), engine_(&store_, &probe_, &freeze_probe_) {}

absl::StatusOr<Container> Runtime::Create(const std::string& id, config::Spec spec,
                                          const CreateOptions& options) {
  RETURN_IF_ERROR(config::ValidateSpec(spec));
  if (options.bundle.empty() || options.bundle.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle path must be absolute: \"", options.bundle, "\""));
  }
  ContainerState initial;
  initial.set_id(id);
  initial.set_bundle(options.bundle);
  *initial.mutable_owner() = CurrentOwner();
  initial.mutable_annotations()->insert(spec.annotations().begin(), spec.annotations().end());
  *initial.mutable_config() = std::move(spec);

  nsenter::LinuxProcessCloner cloner;
  LinuxActions actions(store_.root(), cloner, init_steps_);
  actions.SetCreateOptions(options);
  ASSIGN_OR_RETURN(const ContainerState created, engine_.Create(std::move(initial), actions));
  return Container(this, id, created.pid(), actions.TakeInitPidfd());
}

absl::StatusOr<Container> Runtime::Load(const std::string& id) {
  RETURN_IF_ERROR(store_.Exists(id));
  return Container(this, id);
}

absl::StatusOr<std::vector<std::string>> Runtime::List() const { return store_.List(); }

absl::StatusOr<ContainerState> Container::State() const { return runtime_->engine_.Get(id_); }

absl::Status Container::Fire(Event event) {
  nsenter::LinuxProcessCloner cloner;
  LinuxActions actions(runtime_->store_.root(), cloner);
  return runtime_->engine_.Fire(id_, event, actions).status();
}

absl::Status Container::Start() { return Fire(Event::kStart); }

absl::Status Container::Signal(int signal, bool all) {
  nsenter::LinuxProcessCloner cloner;
  LinuxActions actions(runtime_->store_.root(), cloner);
  actions.SetSignal(signal, all);
  return runtime_->engine_.Fire(id_, Event::kKill, actions).status();
}

absl::Status Container::Pause() { return Fire(Event::kPause); }

absl::Status Container::Resume() { return Fire(Event::kResume); }

absl::Status Container::Update(const config::Resources& resources) {
  nsenter::LinuxProcessCloner cloner;
  LinuxActions actions(runtime_->store_.root(), cloner);
  actions.SetResources(resources);
  return runtime_->engine_.Fire(id_, Event::kUpdate, actions).status();
}

absl::StatusOr<std::vector<pid_t>> Container::Processes() const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, ContainerCgroups(state));
  return cgroups->Processes();
}

absl::StatusOr<cgroups::MemoryEvents> Container::MemoryEvents(
    const cgroups::MemoryEventOptions& options) const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, ContainerCgroups(state));
  return cgroups::MemoryEvents::ForPaths(cgroups->Paths(), options);
}

absl::StatusOr<cgroups::Stats> Container::Stats() const {
  ASSIGN_OR_RETURN(ContainerState state, State());
  ASSIGN_OR_RETURN(std::unique_ptr<cgroups::Manager> cgroups, ContainerCgroups(state));
  ASSIGN_OR_RETURN(cgroups::Stats stats, cgroups->GetStats());
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
  nsenter::LinuxProcessCloner cloner;
  ASSIGN_OR_RETURN(nsenter::ExitStatus exit, cloner.Wait(init_pidfd_.get()));
  init_pidfd_.Reset();
  return exit;
}

absl::Status Container::Delete(bool force) {
  nsenter::LinuxProcessCloner cloner;
  LinuxActions actions(runtime_->store_.root(), cloner);
  actions.SetForceDelete(force);
  if (force) {
    ASSIGN_OR_RETURN(ContainerState state, State());
    if (state.status() == statemachine::STATE_RUNNING ||
        state.status() == statemachine::STATE_PAUSED) {
      RETURN_IF_ERROR(Signal(SIGKILL, /*all=*/true));
      absl::Time deadline = absl::Now() + kForceDeleteTimeout;
      while (true) {
        ASSIGN_OR_RETURN(state, State());
        if (state.status() == statemachine::STATE_STOPPED) break;
        if (absl::Now() > deadline) {
          return absl::DeadlineExceededError(
              absl::StrCat("container ", id_, " did not stop after SIGKILL"));
        }
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
  }
  RETURN_IF_ERROR(runtime_->engine_.Fire(id_, Event::kDelete, actions).status());
  // When this process created the container, the dead init is its child:
  // reap it (a zombie already counts as stopped).
  if (init_pidfd_.valid()) {
    RETURN_IF_ERROR(cloner.Wait(init_pidfd_.get()).status());
    init_pidfd_.Reset();
  }
  return absl::OkStatus();
}

}  // namespace hull::runtime
