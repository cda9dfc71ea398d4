// The user namespace's id maps: /proc/<pid>/uid_map and gid_map contents made
// from the config's mappings, and writing them for the container's init.
#ifndef HULL_NSENTER_ID_MAP_H_
#define HULL_NSENTER_ID_MAP_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"
#include "base/procfs_files.h"

namespace hull::nsenter {

// The kernel's limit on the lines of one map (since Linux 4.15).
inline constexpr int kMaxIdMapLines = 340;

// The contents of a uid_map or gid_map file ("container host size\n" a line)
// for `mappings`. InvalidArgument (naming `what`, e.g. "uidMappings") when
// there are none or more than kMaxIdMapLines, when a range is empty or
// overflows 32 bits, when two container ranges or two host ranges overlap, or
// when the text is larger than the kernel takes in one write.
absl::StatusOr<std::string> FormatIdMap(
    const google::protobuf::RepeatedPtrField<config::IdMapping>& mappings, absl::string_view what);

// Both maps of a new user namespace, ready to write.
struct IdMaps {
  std::string uid_map;
  std::string gid_map;
  // Write "deny" to /proc/<pid>/setgroups before the gid_map: required when the
  // writer lacks CAP_SETGID in the parent user namespace (rootless).
  bool deny_setgroups = false;
};

// The maps for `linux.uidMappings` and `linux.gidMappings`.
absl::StatusOr<IdMaps> FormatIdMaps(const config::Linux& linux, bool deny_setgroups);

// Writes the maps of `pid`'s new user namespace through `proc` (the host's
// /proc): uid_map, then setgroups (when deny_setgroups), then gid_map, each
// in the single write the kernel requires. `pid` must be a child of the caller
// that it has not reaped (so the pid cannot name another process), in a user
// namespace with no maps yet. The writer needs privilege over the ids the
// maps name; runtime/user/id_map_writer.h decides when newuidmap/newgidmap
// write them instead.
absl::Status WriteIdMaps(ProcFiles& proc, pid_t pid, const IdMaps& maps);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_ID_MAP_H_
