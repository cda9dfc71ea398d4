// The Manager of a container's cgroups, chosen from the host's layout:
// V1Manager on v1 and hybrid hosts (on hybrid ones it also gives the
// container a directory in the cgroup2 hierarchy, v1.h), V2Manager on v2
// hosts.
#ifndef HULL_CGROUPS_FACTORY_H_
#define HULL_CGROUPS_FACTORY_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "google/protobuf/map.h"

namespace hull::cgroups {

// A config's annotations: with the systemd driver, some set properties of
// the container's unit (cgroups/systemd/property_annotations.h).
using Annotations = google::protobuf::Map<std::string, std::string>;

// A manager for a new container whose linux.cgroupsPath is `cgroups_path`
// (cgroup_path.h: absolute, relative, or "" for /hull/<id>). Nothing is made
// until Create. On v1 and hybrid hosts the container gets a directory in
// every hierarchy of a controller runc manages (cpu, cpuacct, cpuset,
// memory, devices, freezer, blkio, pids, hugetlb, net_cls, net_prio,
// perf_event, rdma, misc) and in name=systemd, as runc does. A `rootless`
// container's default cgroupsPath is runc's (cgroup_path.h).
absl::StatusOr<std::unique_ptr<Manager>> NewManager(const Layout& layout,
                                                    const std::string& cgroups_path,
                                                    absl::string_view container_id,
                                                    bool rootless = false);
absl::StatusOr<std::unique_ptr<Manager>> NewManager(const Layout& layout,
                                                    const std::string& cgroups_path,
                                                    absl::string_view container_id,
                                                    std::unique_ptr<CgroupFs> fs,
                                                    bool rootless = false);

// The manager of an existing container, from what its Manager's Paths() and
// CreatedPaths() returned (the persisted state). Every path must lie in its
// hierarchy on this host's layout (InvalidArgument otherwise, so that a
// tampered state file cannot point Destroy elsewhere); a controller the
// state names that this host no longer mounts is FailedPrecondition.
absl::StatusOr<std::unique_ptr<Manager>> RestoreManager(
    const Layout& layout, const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths);
absl::StatusOr<std::unique_ptr<Manager>> RestoreManager(
    const Layout& layout, const std::map<std::string, std::string>& paths,
    const std::map<std::string, std::string>& created_paths, std::unique_ptr<CgroupFs> fs);

// Makes the Managers of containers' cgroups, for a new container or for an
// existing one from its persisted paths. The runtime takes one
// (runtime/runtime_options.h), so that tests can hand out mocks
// (testing/mock_cgroup_manager.h).
class ManagerFactory {
 public:
  virtual ~ManagerFactory() = default;

  // NewManager for this factory's host. Only a manager of a systemd unit
  // reads `annotations`; the caller refuses unit properties for the others
  // (Manager::SystemdUnit() is empty).
  virtual absl::StatusOr<std::unique_ptr<Manager>> New(const std::string& cgroups_path,
                                                       absl::string_view container_id,
                                                       const Annotations& annotations) = 0;

  // RestoreManager for this factory's host.
  virtual absl::StatusOr<std::unique_ptr<Manager>> Restore(
      const std::map<std::string, std::string>& paths,
      const std::map<std::string, std::string>& created_paths) = 0;

  // The same for a container whose cgroup is systemd unit `unit`'s
  // (Manager::SystemdUnit). FailedPrecondition unless the factory has the
  // systemd driver (cgroups/systemd/systemd_factory.h).
  virtual absl::StatusOr<std::unique_ptr<Manager>> RestoreSystemd(
      const std::string& unit, const std::map<std::string, std::string>& paths,
      const std::map<std::string, std::string>& created_paths);
};

// The Managers of this host's cgroups. The layout is detected once, on first
// use, however many containers and threads use the factory: without the
// mount roots (LayoutDetail::kMountPoints) unless a new container's
// cgroupsPath is relative, which is placed by them.
class HostManagerFactory final : public ManagerFactory {
 public:
  // `rootless`: new containers are rootless (runc's rootless cgroups).
  explicit HostManagerFactory(bool rootless = false) : rootless_(rootless) {}

  absl::StatusOr<std::unique_ptr<Manager>> New(const std::string& cgroups_path,
                                               absl::string_view container_id,
                                               const Annotations& annotations) override;
  absl::StatusOr<std::unique_ptr<Manager>> Restore(
      const std::map<std::string, std::string>& paths,
      const std::map<std::string, std::string>& created_paths) override;

 private:
  // The layout detected with at least `detail`.
  absl::StatusOr<Layout> HostLayout(LayoutDetail detail);

  const bool rootless_;
  // std::mutex, not absl::Mutex: Debian's Abseil keeps its debug checks,
  // and the first absl::Mutex a process locks builds a deadlock graph and a
  // thread identity, on the path of every command.
  std::mutex mutex_;
  std::optional<absl::StatusOr<Layout>> layout_ ABSL_GUARDED_BY(mutex_);
  LayoutDetail layout_detail_ ABSL_GUARDED_BY(mutex_) = LayoutDetail::kMountPoints;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_FACTORY_H_
