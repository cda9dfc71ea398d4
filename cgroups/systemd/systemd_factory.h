// The runtime's ManagerFactory with the systemd driver: with
// `--systemd-cgroup` new containers get a SystemdManager (systemd_manager.h)
// over the cgroupfs manager of their scope's directories; existing ones get
// the manager their state names, systemd's or cgroupfs', whatever the flag.
#ifndef HULL_CGROUPS_SYSTEMD_SYSTEMD_FACTORY_H_
#define HULL_CGROUPS_SYSTEMD_SYSTEMD_FACTORY_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/factory.h"
#include "cgroups/manager.h"
#include "cgroups/systemd/sd_bus_unit_client.h"
#include "cgroups/systemd/unit_client.h"

namespace hull::cgroups::systemd {

class SystemdManagerFactory final : public ManagerFactory {
 public:
  // `cgroupfs` makes the managers of cgroup directories (the host's, or a
  // test's); `use_systemd` is --systemd-cgroup; `instance` the systemd that
  // makes the scopes: a user's for rootless containers, as runc's rootless
  // driver (its default slice is then user.slice, and cgroup v2 is needed:
  // a user's systemd delegates no v1 hierarchy); `connect` reaches it
  // (default: ConnectToSystemd(instance), sd_bus_unit_client.h).
  SystemdManagerFactory(ManagerFactory& cgroupfs, bool use_systemd,
                        SystemdInstance instance = SystemdInstance::kSystem,
                        UnitClientConnector connect = nullptr);

  // With the systemd driver: linux.cgroupsPath is "slice:prefix:name" (or
  // "", unit_name.h), and the unit gets the properties `annotations` set
  // (property_annotations.h; InvalidArgument naming a malformed one).
  absl::StatusOr<std::unique_ptr<Manager>> New(const std::string& cgroups_path,
                                               absl::string_view container_id,
                                               const Annotations& annotations) override;
  absl::StatusOr<std::unique_ptr<Manager>> Restore(
      const std::map<std::string, std::string>& paths,
      const std::map<std::string, std::string>& created_paths) override;
  absl::StatusOr<std::unique_ptr<Manager>> RestoreSystemd(
      const std::string& unit, const std::map<std::string, std::string>& paths,
      const std::map<std::string, std::string>& created_paths) override;

 private:
  ManagerFactory& cgroupfs_;
  bool use_systemd_;
  SystemdInstance instance_;
  UnitClientConnector connect_;
};

}  // namespace hull::cgroups::systemd

#endif  // HULL_CGROUPS_SYSTEMD_SYSTEMD_FACTORY_H_
