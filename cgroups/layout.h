// Which cgroup hierarchies the host has, and where: cgroup v1 (a tmpfs at
// /sys/fs/cgroup with one mount per hierarchy), v2 (cgroup2 at
// /sys/fs/cgroup) or hybrid (v1 plus cgroup2 at /sys/fs/cgroup/unified).
// Detected once per command; managers and cgroupsPath resolution take it as
// a value, so that tests hand them a fake tree's layout.
#ifndef HULL_CGROUPS_LAYOUT_H_
#define HULL_CGROUPS_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "base/mountinfo.h"

namespace hull::cgroups {

inline constexpr absl::string_view kCgroupRoot = "/sys/fs/cgroup";

enum class CgroupMode {
  kV1,      // only v1 hierarchies
  kHybrid,  // v1 hierarchies hold the controllers; cgroup2 at <root>/unified
  kV2,      // cgroup2 at the root
};

// One mounted cgroup hierarchy.
struct Hierarchy {
  std::string mount_point;
  // The cgroup mounted there: "/" unless the mount shows a sub-cgroup (as
  // inside some containers); "" when unknown (a v2 layout detected without
  // /proc/self/mountinfo, LayoutDetail::kMountPoints).
  std::string mount_root = "/";
  // The calling process's cgroup in this hierarchy (/proc/self/cgroup); ""
  // when unknown (a v2 layout detected without it, as above).
  std::string own_cgroup = "/";
  // v1: its controllers, as /proc/self/cgroup names them ("cpu",
  // "cpuacct", "name=systemd"); empty for cgroup2.
  std::vector<std::string> controllers;

  friend bool operator==(const Hierarchy&, const Hierarchy&) = default;
};

struct Layout {
  CgroupMode mode = CgroupMode::kV1;
  std::string root;
  // v1 and hybrid: the v1 hierarchies mounted under `root`.
  std::vector<Hierarchy> v1;
  // v2: the root; hybrid: <root>/unified.
  absl::optional<Hierarchy> unified;
  // v1 and hybrid: the cgroup and cgroup2 lines of /proc/self/mountinfo,
  // where a container's cgroup mount finds the hierarchies it shows
  // (CloneTargets::host_cgroup_mounts). Empty when it was not read.
  std::vector<MountInfo> cgroup_mounts;

  // The v1 hierarchy that holds `controller`, or nullptr.
  const Hierarchy* FindV1(absl::string_view controller) const;
};

// What statfs(2) reports for the root and for <root>/unified: f_type, 0 when
// the path does not exist (or, the root not being a tmpfs, is not looked at).
struct RootFilesystems {
  int64_t root = 0;
  int64_t unified = 0;
};

// The layout from the filesystem types, /proc/self/mountinfo and
// /proc/self/cgroup (pure). The root must be cgroup2 (v2) or a tmpfs (v1,
// or hybrid when <root>/unified is cgroup2); anything else, or a v1 root
// with no hierarchy mounted, is FailedPrecondition. A v2 layout may go
// without either file (nullopt): its one hierarchy is mounted at the root,
// and mountinfo would only add which cgroup that mount shows
// (unified->mount_root, then "") and /proc/self/cgroup the caller's own
// cgroup (unified->own_cgroup, then ""). Any other layout needs both, and is
// InvalidArgument without them: their mount points are only found there.
absl::StatusOr<Layout> ParseLayout(absl::string_view root, RootFilesystems filesystems,
                                   std::optional<absl::string_view> mountinfo,
                                   std::optional<absl::string_view> own_cgroups);

// What DetectLayout reads.
enum class LayoutDetail {
  kFull,
  // On a v2 host, neither /proc/self/mountinfo nor /proc/self/cgroup: its
  // one hierarchy is mounted at the root, and only a relative cgroupsPath
  // needs the rest (the cgroup that mount shows, and the caller's own). v1
  // and hybrid hosts read them all the same: their hierarchies' mount points
  // are found there. As runc and crun place an absolute cgroupsPath on v2:
  // from a statfs of the root.
  kMountPoints,
};

// The host's layout under `root`, seen by the calling process.
absl::StatusOr<Layout> DetectLayout(absl::string_view root = kCgroupRoot,
                                    LayoutDetail detail = LayoutDetail::kFull);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_LAYOUT_H_
