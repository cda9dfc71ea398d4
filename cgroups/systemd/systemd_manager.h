// The systemd cgroup driver (`hull --systemd-cgroup`): the container's
// cgroup is a transient scope unit systemd makes around the container's init
// (PIDs=[init], Delegate=yes), in the slice linux.cgroupsPath names
// (unit_name.h). The resources systemd has properties for are set on the unit
// (unit_properties.h), so that systemd keeps them; every resource is also
// written to the scope's cgroup files by the cgroupfs manager of the scope's
// directories (v2.h, v1.h), which also does what needs no systemd: freeze,
// signals, statistics, processes, the cgroup2 device filter. Delete stops the
// unit, and systemd removes its cgroup.
//
// A scope cannot exist without a process: Create only checks that systemd is
// reachable; Apply before the scope exists keeps the resources for it; the
// scope starts at the first AddProcess, which OpenCloneTargets asks the
// caller for (CloneTargets::join_by_add_process).
#ifndef HULL_CGROUPS_SYSTEMD_SYSTEMD_MANAGER_H_
#define HULL_CGROUPS_SYSTEMD_SYSTEMD_MANAGER_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/manager.h"
#include "cgroups/systemd/unit_client.h"
#include "cgroups/systemd/unit_name.h"
#include "cgroups/systemd/unit_properties.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups::systemd {

struct SystemdManagerOptions {
  // The container's unit.
  ContainerUnit unit;
  // The cgroup of the systemd instance that makes the unit, below which it
  // puts the unit's slice: "" for the host's, the user manager's own for a
  // user's ("/user.slice/user-1000.slice/user@1000.service").
  std::string manager_cgroup;
  // Its Description ("hull container web").
  std::string description;
  // Whether the scope's cgroup is cgroup v2 (else the v1 hierarchies').
  bool unified = true;
  // Whether the scope exists (a container restored from its state).
  bool started = false;
  // What the config's annotations set (property_annotations.h): the scope
  // starts with them, after Hull's own.
  std::vector<UnitProperty> annotated_properties;
  // Connects to systemd, on first need.
  UnitClientConnector connect;
  // The text of /proc/devices, for device rules of a whole major.
  std::function<std::string()> proc_devices;
};

class SystemdManager final : public Manager {
 public:
  // `files` is the cgroupfs manager of the scope's directories.
  SystemdManager(SystemdManagerOptions options, std::unique_ptr<Manager> files);

  // Connects to systemd (FailedPrecondition naming --systemd-cgroup when it
  // is not reachable). The scope starts with the first process.
  absl::Status Create() override;
  // The unit's properties (SetUnitProperties, runtime), then the files;
  // before the scope exists, kept for it.
  absl::Status Apply(const config::Resources& resources) override;
  // The first process starts the scope (StartTransientUnit, waiting for its
  // job) with the kept resources' properties, checks that systemd put it in
  // the cgroup Paths() names, has the cgroupfs manager make what systemd
  // did not (v1 hierarchies systemd does not manage), join the process there
  // and write the kept resources. Any failure stops the unit again. Later
  // processes join the scope's cgroups through the files.
  absl::Status AddProcess(pid_t pid) override;
  // Before the scope exists: no targets, join_by_add_process.
  absl::StatusOr<CloneTargets> OpenCloneTargets(const SubCgroups& below) override;
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  absl::StatusOr<bool> IsFrozen() override;
  absl::StatusOr<std::vector<pid_t>> Processes() override;
  absl::Status Signal(int signal) override;
  absl::StatusOr<Stats> GetStats() override;
  // Stops the unit (its processes are killed, its cgroup removed by
  // systemd), then removes what the cgroupfs manager made.
  absl::Status Destroy() override;
  std::map<std::string, std::string> Paths() const override;
  // The scope's directories are the container's (systemd made them for it),
  // with what the cgroupfs manager made above them.
  std::map<std::string, std::string> CreatedPaths() const override;
  std::string SystemdUnit() const override { return options_.unit.scope; }

 private:
  absl::StatusOr<UnitClient*> Client();
  absl::StatusOr<std::vector<UnitProperty>> Properties(const config::Resources& resources);
  absl::Status StartScope(pid_t pid);

  SystemdManagerOptions options_;
  std::unique_ptr<Manager> files_;
  std::unique_ptr<UnitClient> client_;
  // What Apply got before the scope existed, and its properties.
  struct Pending {
    config::Resources resources;
    std::vector<UnitProperty> properties;
  };
  std::optional<Pending> pending_;
};

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_SYSTEMD_MANAGER_H_
