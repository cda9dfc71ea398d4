#include "nsenter/id_map.h"

#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"

namespace hull::nsenter {
namespace {

// The kernel takes a map in one write of less than a page (4096 bytes on
// every architecture Hull builds for).
constexpr size_t kMaxIdMapBytes = 4096 - 1;

struct Range {
  uint64_t first;
  uint64_t end;  // one past the last id
  int index;     // of the mapping in the config
};

// InvalidArgument naming the first two of `ranges` that overlap.
absl::Status CheckDisjoint(std::vector<Range> ranges, absl::string_view what,
                           absl::string_view side) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].end) {
      const int a = std::min(ranges[i - 1].index, ranges[i].index);
      const int b = std::max(ranges[i - 1].index, ranges[i].index);
      return absl::InvalidArgumentError(
          absl::StrCat(what, "[", a, "] and ", what, "[", b, "] overlap in their ", side, " ids"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> FormatIdMap(
    const google::protobuf::RepeatedPtrField<config::IdMapping>& mappings, absl::string_view what) {
  if (mappings.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": a user namespace needs a mapping"));
  }
  if (mappings.size() > kMaxIdMapLines) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": ", mappings.size(), " mappings; the kernel takes at most ", kMaxIdMapLines));
  }
  std::vector<Range> container_ranges;
  std::vector<Range> host_ranges;
  std::string text;
  for (int i = 0; i < mappings.size(); ++i) {
    const config::IdMapping& mapping = mappings[i];
    if (mapping.size() == 0) {
      return absl::InvalidArgumentError(absl::StrCat(what, "[", i, "]: size is 0"));
    }
    const uint64_t container_end = uint64_t{mapping.container_id()} + mapping.size();
    const uint64_t host_end = uint64_t{mapping.host_id()} + mapping.size();
    // Ids are 32 bits, and (uid_t)-1 is never a valid id.
    if (container_end > UINT32_MAX || host_end > UINT32_MAX) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, "[", i, "]: ", mapping.size(), " ids from ", mapping.container_id(),
                       " (container) or ", mapping.host_id(), " (host) go past 4294967294"));
    }
    container_ranges.push_back({mapping.container_id(), container_end, i});
    host_ranges.push_back({mapping.host_id(), host_end, i});
    absl::StrAppend(&text, mapping.container_id(), " ", mapping.host_id(), " ", mapping.size(),
                    "\n");
  }
  RETURN_IF_ERROR(CheckDisjoint(std::move(container_ranges), what, "container"));
  RETURN_IF_ERROR(CheckDisjoint(std::move(host_ranges), what, "host"));
  if (text.size() > kMaxIdMapBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": the map is ", text.size(), " bytes; the kernel takes at most ", kMaxIdMapBytes));
  }
  return text;
}

absl::StatusOr<IdMaps> FormatIdMaps(const config::Linux& linux, bool deny_setgroups) {
  IdMaps maps;
  ASSIGN_OR_RETURN(maps.uid_map, FormatIdMap(linux.uid_mappings(), "linux.uidMappings"));
  ASSIGN_OR_RETURN(maps.gid_map, FormatIdMap(linux.gid_mappings(), "linux.gidMappings"));
  maps.deny_setgroups = deny_setgroups;
  return maps;
}

absl::Status WriteIdMaps(ProcFiles& proc, pid_t pid, const IdMaps& maps) {
  const std::string dir = absl::StrCat(pid, "/");
  RETURN_IF_ERROR(proc.Write(absl::StrCat(dir, "uid_map"), maps.uid_map));
  // An unprivileged writer may map gids only once setgroups(2) is denied, or
  // it could drop supplementary groups that deny it access.
  if (maps.deny_setgroups) RETURN_IF_ERROR(proc.Write(absl::StrCat(dir, "setgroups"), "deny"));
  return proc.Write(absl::StrCat(dir, "gid_map"), maps.gid_map);
}

}  // namespace hull::nsenter
