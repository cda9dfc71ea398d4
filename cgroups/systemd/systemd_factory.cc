#include "cgroups/systemd/systemd_factory.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/systemd/property_annotations.h"
#include "cgroups/systemd/sd_bus_unit_client.h"
#include "cgroups/systemd/systemd_manager.h"
#include "cgroups/systemd/unit_name.h"

namespace hull::cgroups::systemd {
namespace {

// Whether `files` manages a cgroup2 directory alone (a v2 host): systemd's
// v2 properties apply. On v1 and hybrid hosts the controllers are v1's.
bool Unified(const Manager& files) {
  const std::map<std::string, std::string> paths = files.Paths();
  return paths.size() == 1 && paths.begin()->first.empty();
}

std::string ReadProcDevices() {
  absl::StatusOr<std::string> text = LinuxCgroupFs().ReadFile("/proc/devices");
  return text.ok() ? *std::move(text) : "";
}

}  // namespace

SystemdManagerFactory::SystemdManagerFactory(ManagerFactory& cgroupfs, bool use_systemd,
                                             SystemdInstance instance,
                                             UnitClientConnector connect)
    : cgroupfs_(cgroupfs),
      use_systemd_(use_systemd),
      instance_(instance),
      connect_(connect != nullptr
                   ? std::move(connect)
                   : UnitClientConnector([instance] { return ConnectToSystemd(instance); })) {}

absl::StatusOr<std::unique_ptr<Manager>> SystemdManagerFactory::New(
    const std::string& cgroups_path, absl::string_view container_id,
    const Annotations& annotations) {
  if (!use_systemd_) return cgroupfs_.New(cgroups_path, container_id, annotations);
  ASSIGN_OR_RETURN(std::vector<UnitProperty> annotated, AnnotatedProperties(annotations));
  const bool user = instance_ == SystemdInstance::kUser;
  ASSIGN_OR_RETURN(ContainerUnit unit,
                   ContainerUnitFor(cgroups_path, container_id,
                                    user ? kDefaultUserSlice : kDefaultSlice));
  ASSIGN_OR_RETURN(const std::string unit_cgroup, UnitCgroup(unit));
  std::string manager_cgroup;
  UnitClientConnector connect = connect_;
  if (user) {
    // Refused before the connection, so that the error names the host's
    // cgroups rather than a missing user bus.
    ASSIGN_OR_RETURN(std::unique_ptr<Manager> host_files,
                     cgroupfs_.New(unit_cgroup, container_id, {}));
    if (!Unified(*host_files)) {
      return absl::FailedPreconditionError(
          "--systemd-cgroup for a rootless container needs a cgroup v2 host: a user's systemd "
          "is delegated no cgroup v1 hierarchy");
    }
    // A user's systemd puts its slices below its own cgroup, which only it
    // can say. Its connection then serves the container's manager too.
    ASSIGN_OR_RETURN(std::unique_ptr<UnitClient> client, connect_());
    ASSIGN_OR_RETURN(manager_cgroup, client->GetManagerCgroup());
    if (manager_cgroup == "/") manager_cgroup.clear();
    connect = [held = std::make_shared<std::unique_ptr<UnitClient>>(std::move(client)),
               reconnect = connect_]() -> absl::StatusOr<std::unique_ptr<UnitClient>> {
      if (*held != nullptr) return std::move(*held);
      return reconnect();
    };
  }
  const std::string cgroup = manager_cgroup + unit_cgroup;
  // The scope's cgroup as an absolute cgroupsPath: its directory in every
  // hierarchy the cgroupfs driver would use.
  ASSIGN_OR_RETURN(std::unique_ptr<Manager> files, cgroupfs_.New(cgroup, container_id, {}));
  return std::make_unique<SystemdManager>(
      SystemdManagerOptions{.unit = std::move(unit),
                            .manager_cgroup = std::move(manager_cgroup),
                            .description = absl::StrCat("hull container ", container_id),
                            .unified = Unified(*files),
                            .annotated_properties = std::move(annotated),
                            .connect = std::move(connect),
                            .proc_devices = ReadProcDevices},
      std::move(files));
}

absl::StatusOr<std::unique_ptr<Manager>> SystemdManagerFactory::Restore(
    const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths) {
  return cgroupfs_.Restore(paths, created_paths);
}

absl::StatusOr<std::unique_ptr<Manager>> SystemdManagerFactory::RestoreSystemd(
    const std::string& unit, const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths) {
  // Destroy stops it: a state file must not name any other unit.
  if (!absl::EndsWith(unit, ".scope") || absl::StrContains(unit, '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("systemd unit \"", unit, "\" of the container's state is not a scope"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Manager> files, cgroupfs_.Restore(paths, created_paths));
  const bool unified = Unified(*files);
  return std::make_unique<SystemdManager>(SystemdManagerOptions{.unit = {.scope = unit},
                                                                .unified = unified,
                                                                .started = true,
                                                                .connect = connect_,
                                                                .proc_devices = ReadProcDevices},
                                          std::move(files));
}

}  // namespace hull::cgroups::systemd
