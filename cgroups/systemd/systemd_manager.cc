#include "cgroups/systemd/systemd_manager.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace hull::cgroups::systemd {

SystemdManager::SystemdManager(SystemdManagerOptions options, std::unique_ptr<Manager> files)
    : options_(std::move(options)), files_(std::move(files)) {}

absl::StatusOr<UnitClient*> SystemdManager::Client() {
  if (client_ == nullptr) {
    ASSIGN_OR_RETURN(client_, options_.connect());
  }
  return client_.get();
}

absl::StatusOr<std::vector<UnitProperty>> SystemdManager::Properties(
    const config::Resources& resources) {
  std::string proc_devices;
  if (!resources.devices().empty() && options_.proc_devices) proc_devices = options_.proc_devices();
  return ResourceProperties(resources, options_.unified, proc_devices);
}

absl::Status SystemdManager::Create() { return Client().status(); }

absl::Status SystemdManager::Apply(const config::Resources& resources) {
  ASSIGN_OR_RETURN(const std::vector<UnitProperty> properties, Properties(resources));
  if (!options_.started) {
    pending_ = Pending{.resources = resources, .properties = properties};
    return absl::OkStatus();
  }
  if (!properties.empty()) {
    ASSIGN_OR_RETURN(UnitClient * client, Client());
    RETURN_IF_ERROR(client->SetUnitProperties(options_.unit.scope, properties));
  }
  return files_->Apply(resources);
}

absl::Status SystemdManager::StartScope(pid_t pid) {
  ASSIGN_OR_RETURN(UnitClient * client, Client());
  const Pending pending = pending_.value_or(Pending());
  std::vector<UnitProperty> properties =
      ScopeProperties(options_.unit.slice, options_.description, pid, options_.unified);
  properties.insert(properties.end(), pending.properties.begin(), pending.properties.end());
  properties.insert(properties.end(), options_.annotated_properties.begin(),
                    options_.annotated_properties.end());
  const std::string& scope = options_.unit.scope;
  // Stopped again on any failure from here: a failed start may leave the
  // unit loaded (failed), holding the process.
  absl::Cleanup stop = [&] {
    (void)client->StopUnit(scope);
    (void)files_->Destroy();
  };
  RETURN_IF_ERROR(client->StartTransientUnit(scope, properties));
  ASSIGN_OR_RETURN(const std::string cgroup, client->GetUnitCgroup(scope));
  ASSIGN_OR_RETURN(const std::string unit_cgroup, UnitCgroup(options_.unit));
  const std::string expected = options_.manager_cgroup + unit_cgroup;
  if (cgroup != expected) {
    return absl::FailedPreconditionError(
        absl::StrCat("systemd made unit ", scope, "'s cgroup at ", cgroup, ", not at ", expected,
                     " (is systemd in another cgroup namespace?)"));
  }
  RETURN_IF_ERROR(files_->Create());
  // On v1, the hierarchies systemd does not manage (cpuset, freezer, ...).
  if (!options_.unified) RETURN_IF_ERROR(files_->AddProcess(pid));
  RETURN_IF_ERROR(files_->Apply(pending.resources));
  std::move(stop).Cancel();
  options_.started = true;
  pending_.reset();
  return absl::OkStatus();
}

absl::Status SystemdManager::AddProcess(pid_t pid) {
  if (!options_.started) return StartScope(pid);
  return files_->AddProcess(pid);
}

absl::StatusOr<CloneTargets> SystemdManager::OpenCloneTargets(const SubCgroups& below) {
  if (!options_.started) {
    if (!below.empty()) {
      return absl::FailedPreconditionError("the container's systemd scope does not exist yet");
    }
    return CloneTargets{.join_by_add_process = true};
  }
  return files_->OpenCloneTargets(below);
}

absl::Status SystemdManager::Freeze() { return files_->Freeze(); }

absl::Status SystemdManager::Thaw() { return files_->Thaw(); }

absl::StatusOr<bool> SystemdManager::IsFrozen() {
  if (!options_.started) return false;
  return files_->IsFrozen();
}

absl::StatusOr<std::vector<pid_t>> SystemdManager::Processes() {
  if (!options_.started) return std::vector<pid_t>();
  return files_->Processes();
}

absl::Status SystemdManager::Signal(int signal) { return files_->Signal(signal); }

absl::StatusOr<Stats> SystemdManager::GetStats() { return files_->GetStats(); }

absl::Status SystemdManager::Destroy() {
  if (options_.started) {
    ASSIGN_OR_RETURN(UnitClient * client, Client());
    RETURN_IF_ERROR(client->StopUnit(options_.unit.scope));
    options_.started = false;
  }
  return files_->Destroy();
}

std::map<std::string, std::string> SystemdManager::Paths() const { return files_->Paths(); }

std::map<std::string, std::string> SystemdManager::CreatedPaths() const {
  std::map<std::string, std::string> created = files_->CreatedPaths();
  for (const auto& [key, path] : files_->Paths()) created.emplace(key, path);
  return created;
}

}  // namespace hull::cgroups::systemd
