// Intel RDT through the resctrl filesystem (linux.intelRdt), as runc's
// intelrdt manager: a group per container (named by the container's id, or
// the config's closID, shared and never removed by Hull), the init's pid in
// its `tasks`, the schemata written to its `schemata` after they are checked
// against `info/`, a monitoring group mon_groups/<id> with
// enableMonitoring, whose mon_data the stats read. Through the CgroupFs seam
// (cgroups/cgroupfs.h), so that it is tested against a fake resctrl tree.
#ifndef HULL_CGROUPS_RESCTRL_H_
#define HULL_CGROUPS_RESCTRL_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"

namespace hull::cgroups {

inline constexpr char kResctrlRoot[] = "/sys/fs/resctrl";

// Whether resctrl is mounted at `root` (its root group's `schemata` and
// `info/` are there).
bool ResctrlMounted(CgroupFs& fs, const std::string& root = kResctrlRoot);

class Resctrl {
 public:
  // The groups of container `id` for `rdt`, under resctrl at `root`;
  // FailedPrecondition naming linux.intelRdt when resctrl is not mounted.
  static absl::StatusOr<Resctrl> Open(CgroupFs& fs, const config::IntelRdt& rdt,
                                      const std::string& id, const std::string& root = kResctrlRoot);

  // The group's directory: <root>/<closID>, or <root>/<id>.
  const std::string& group() const { return group_; }
  // With enableMonitoring: <group>/mon_groups/<id>; else empty.
  const std::string& monitor() const { return monitor_; }

  // Checks the schemata (l3CacheSchema, memBwSchema, schemata) against
  // info/: each resource there, cache masks contiguous within cbm_mask with
  // min_cbm_bits at least, bandwidths min_bandwidth at least; and
  // info/L3_MON for enableMonitoring. InvalidArgument naming the field.
  absl::Status Validate(const config::IntelRdt& rdt);

  // Validates, then makes the group (joined when it exists: a shared
  // closID), writes its schemata, and makes the monitoring group.
  absl::Status Create(const config::IntelRdt& rdt);

  // Writes the schemata of `rdt` (validated) to the group.
  absl::Status Update(const config::IntelRdt& rdt);

  // Moves `pid` into the group (and the monitoring group).
  absl::Status AddProcess(pid_t pid);

  // The group's schemata and the root's, info/, and the monitoring data.
  absl::StatusOr<IntelRdt> Stats();

  // Removes the monitoring group, and the group unless it is a named
  // closID (shared, or made by someone else). Gone already is fine.
  absl::Status Remove();

 private:
  Resctrl(CgroupFs& fs, std::string root, std::string group, std::string monitor, bool shared)
      : fs_(&fs),
        root_(std::move(root)),
        group_(std::move(group)),
        monitor_(std::move(monitor)),
        shared_(shared) {}

  absl::Status CheckLine(absl::string_view field, absl::string_view line);
  absl::Status WriteSchemata(const config::IntelRdt& rdt);

  CgroupFs* fs_;
  std::string root_;
  std::string group_;
  std::string monitor_;
  bool shared_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_RESCTRL_H_
