// Who writes the id maps of the container's new user namespace, and how.
// Root writes them itself. A non-root hull writes a single-range map of its
// own id itself too (denying setgroups first for the gid map, as the kernel
// requires); any other map it has written by newuidmap or newgidmap (Debian's
// package uidmap), which map the subordinate ids /etc/subuid and /etc/subgid
// grant the user, as runc does. The decision and the subordinate id checks
// happen before the init is cloned, so a map that cannot be written fails
// before anything is made.
#ifndef HULL_RUNTIME_USER_ID_MAP_WRITER_H_
#define HULL_RUNTIME_USER_ID_MAP_WRITER_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/procfs_files.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"
#include "nsenter/id_map.h"

namespace hull::user {

inline constexpr char kNewUidMap[] = "/usr/bin/newuidmap";
inline constexpr char kNewGidMap[] = "/usr/bin/newgidmap";
inline constexpr char kSubuidFile[] = "/etc/subuid";
inline constexpr char kSubgidFile[] = "/etc/subgid";

// The user hull runs as: its effective ids and its user name ("" when
// /etc/passwd has none, and for root, which needs none; /etc/subuid may name
// it by uid instead).
struct MapWriter {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// The writer of the calling process (geteuid, getegid, its passwd entry).
MapWriter CurrentMapWriter();

// The contents of a file, or an error, NotFound when it does not exist (the
// subordinate id files; a seam for tests).
using ReadFileFunction = std::function<absl::StatusOr<std::string>(const std::string& path)>;

// The ReadFileFunction of the host's files.
absl::StatusOr<std::string> ReadHostFile(const std::string& path);

// How the maps of `linux.uidMappings` and `linux.gidMappings` are written.
struct IdMapWrites {
  // Both maps' text; deny_setgroups when the gid map is written directly
  // without privilege.
  nsenter::IdMaps maps;
  // Written by newuidmap / newgidmap rather than directly.
  bool uid_map_by_helper = false;
  bool gid_map_by_helper = false;
};

// Decides, for `writer`, how each map is written; `read_file` reads
// /etc/subuid or /etc/subgid when a map needs a helper. InvalidArgument for
// a malformed map (nsenter::FormatIdMap), and FailedPrecondition, naming the
// map and the file, when the user has no subordinate ids there or the map
// asks for host ids outside them.
absl::StatusOr<IdMapWrites> PlanIdMapWrites(const config::Linux& linux, const MapWriter& writer,
                                            const ReadFileFunction& read_file);

// The argv of newuidmap or newgidmap (`program`) mapping `mappings` for
// `pid`: program, pid, then "container host size" of each mapping.
std::vector<std::string> IdMapHelperArgv(
    absl::string_view program, pid_t pid,
    const google::protobuf::RepeatedPtrField<config::IdMapping>& mappings);

// Runs a program (argv[0] is its path) to its end; an error when it fails.
using RunProgramFunction = std::function<absl::Status(const std::vector<std::string>& argv)>;

// Runs argv through hooks::RunHook: no environment, a 10 s timeout.
absl::Status RunIdMapHelper(const std::vector<std::string>& argv);

// Writes the maps of `pid`'s new user namespace as `writes` says: uid map,
// then setgroups and gid map, directly through `proc` (the host's /proc) or
// by `run_program` of the helper.
absl::Status WriteIdMaps(const IdMapWrites& writes, const config::Linux& linux, pid_t pid,
                         ProcFiles& proc, const RunProgramFunction& run_program);

}  // namespace hull::user

#endif  // HULL_RUNTIME_USER_ID_MAP_WRITER_H_
