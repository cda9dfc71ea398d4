#include "runtime/user/id_map_writer.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/hooks/hooks.h"

namespace hull::user {
namespace {

using Mappings = google::protobuf::RepeatedPtrField<config::IdMapping>;

// A range of subordinate ids: [first, first + count).
struct SubordinateRange {
  uint64_t first = 0;
  uint64_t count = 0;
};

// What one of the two maps needs to know.
struct MapKind {
  const char* field;     // "linux.uidMappings"
  const char* file;      // "/etc/subuid"
  const char* id_word;   // "uid"
};
constexpr MapKind kUidKind = {"linux.uidMappings", kSubuidFile, "uid"};
constexpr MapKind kGidKind = {"linux.gidMappings", kSubgidFile, "gid"};

// A map that root, or anyone for their own id alone, writes directly: one
// mapping of one id, the writer's own.
bool IsOwnIdOnly(const Mappings& mappings, uint32_t own_id) {
  return mappings.size() == 1 && mappings[0].size() == 1 && mappings[0].host_id() == own_id;
}

// The ranges `file_text` (an /etc/subuid or /etc/subgid) grants `writer`,
// whose lines are "user:first:count" with the user's name or uid.
std::vector<SubordinateRange> RangesOf(absl::string_view file_text, const MapWriter& writer) {
  std::vector<SubordinateRange> ranges;
  const std::string uid = absl::StrCat(writer.uid);
  for (absl::string_view line : absl::StrSplit(file_text, '\n', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ':');
    if (fields.size() != 3) continue;
    if (fields[0] != uid && (writer.name.empty() || fields[0] != writer.name)) continue;
    SubordinateRange range;
    if (!absl::SimpleAtoi(fields[1], &range.first) || !absl::SimpleAtoi(fields[2], &range.count)) {
      continue;
    }
    ranges.push_back(range);
  }
  return ranges;
}

std::string UserWords(const MapWriter& writer) {
  return writer.name.empty() ? absl::StrCat("uid ", writer.uid)
                             : absl::StrCat("user \"", writer.name, "\" (uid ", writer.uid, ")");
}

// OK when every host range of `mappings` is `own_id` or inside one range
// the subordinate id file grants the writer.
absl::Status CheckSubordinateIds(const Mappings& mappings, uint32_t own_id, const MapKind& kind,
                                 const MapWriter& writer, const ReadFileFunction& read_file) {
  absl::StatusOr<std::string> text = read_file(kind.file);
  if (!text.ok() && !absl::IsNotFound(text.status())) {
    return Annotate(text.status(), absl::StrCat(kind.field, " needs subordinate ", kind.id_word,
                                                "s, read from ", kind.file));
  }
  const std::vector<SubordinateRange> ranges = RangesOf(text.ok() ? *text : "", writer);
  if (ranges.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        kind.field, " maps more than ", UserWords(writer), "'s own ", kind.id_word,
        ", which needs subordinate ", kind.id_word, "s, and ", kind.file, " has none for ",
        UserWords(writer), " (add a line \"", writer.name.empty() ? absl::StrCat(writer.uid)
                                                                  : writer.name,
        ":FIRST:COUNT\")"));
  }
  for (int i = 0; i < mappings.size(); ++i) {
    const uint64_t first = mappings[i].host_id();
    const uint64_t end = first + mappings[i].size();
    if (first == own_id && end == first + 1) continue;
    bool granted = false;
    for (const SubordinateRange& range : ranges) {
      granted = granted || (first >= range.first && end <= range.first + range.count);
    }
    if (!granted) {
      std::vector<std::string> listed;
      for (const SubordinateRange& range : ranges) {
        listed.push_back(absl::StrCat(range.first, "-", range.first + range.count - 1));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          kind.field, "[", i, "]: host ", kind.id_word, "s ", first, "-", end - 1,
          " are neither ", UserWords(writer), "'s own nor among its subordinate ", kind.id_word,
          "s in ", kind.file, " (", absl::StrJoin(listed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadHostFile(const std::string& path) {
  UniqueFd file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return ErrnoStatus("open ", path);
  return ReadAll(file.get(), path);
}

MapWriter CurrentMapWriter() {
  MapWriter writer{.uid = geteuid(), .gid = getegid(), .name = ""};
  // Root writes any map itself: its name is never read (PlanIdMapWrites),
  // and a create as root looks nobody up.
  if (writer.uid == 0) return writer;
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(writer.uid, &entry, buffer, sizeof(buffer), &found) == 0 && found != nullptr) {
    writer.name = found->pw_name;
  }
  return writer;
}

absl::StatusOr<IdMapWrites> PlanIdMapWrites(const config::Linux& linux, const MapWriter& writer,
                                            const ReadFileFunction& read_file) {
  IdMapWrites writes;
  ASSIGN_OR_RETURN(writes.maps, nsenter::FormatIdMaps(linux, /*deny_setgroups=*/false));
  if (writer.uid == 0) return writes;
  writes.uid_map_by_helper = !IsOwnIdOnly(linux.uid_mappings(), writer.uid);
  writes.gid_map_by_helper = !IsOwnIdOnly(linux.gid_mappings(), writer.gid);
  if (writes.uid_map_by_helper) {
    RETURN_IF_ERROR(
        CheckSubordinateIds(linux.uid_mappings(), writer.uid, kUidKind, writer, read_file));
  }
  if (writes.gid_map_by_helper) {
    RETURN_IF_ERROR(
        CheckSubordinateIds(linux.gid_mappings(), writer.gid, kGidKind, writer, read_file));
  }
  // Without CAP_SETGID the kernel takes a gid map only once setgroups is
  // denied; newgidmap, being privileged, needs no such thing.
  writes.maps.deny_setgroups = !writes.gid_map_by_helper;
  return writes;
}

std::vector<std::string> IdMapHelperArgv(absl::string_view program, pid_t pid,
                                         const Mappings& mappings) {
  std::vector<std::string> argv = {std::string(program), absl::StrCat(pid)};
  for (const config::IdMapping& mapping : mappings) {
    argv.push_back(absl::StrCat(mapping.container_id()));
    argv.push_back(absl::StrCat(mapping.host_id()));
    argv.push_back(absl::StrCat(mapping.size()));
  }
  return argv;
}

absl::Status RunIdMapHelper(const std::vector<std::string>& argv) {
  config::Hook hook;
  hook.set_path(argv.front());
  for (const std::string& arg : argv) hook.add_args(arg);
  hook.set_timeout(10);
  return Annotate(hooks::RunHook(hook, ""), absl::StrJoin(argv, " "));
}

absl::Status WriteIdMaps(const IdMapWrites& writes, const config::Linux& linux, pid_t pid,
                         ProcFiles& proc, const RunProgramFunction& run_program) {
  if (!writes.uid_map_by_helper && !writes.gid_map_by_helper) {
    return nsenter::WriteIdMaps(proc, pid, writes.maps);
  }
  const std::string dir = absl::StrCat(pid, "/");
  if (writes.uid_map_by_helper) {
    RETURN_IF_ERROR(run_program(IdMapHelperArgv(kNewUidMap, pid, linux.uid_mappings())));
  } else {
    RETURN_IF_ERROR(proc.Write(absl::StrCat(dir, "uid_map"), writes.maps.uid_map));
  }
  if (writes.gid_map_by_helper) {
    return run_program(IdMapHelperArgv(kNewGidMap, pid, linux.gid_mappings()));
  }
  if (writes.maps.deny_setgroups) {
    RETURN_IF_ERROR(proc.Write(absl::StrCat(dir, "setgroups"), "deny"));
  }
  return proc.Write(absl::StrCat(dir, "gid_map"), writes.maps.gid_map);
}

}  // namespace hull::user
