// The lines of `hull events`, as `runc events` prints them.
#ifndef HULL_TOOLS_LAUNCHER_STATS_EVENT_H_
#define HULL_TOOLS_LAUNCHER_STATS_EVENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "cgroups/stats.pb.h"

namespace hull::launcher {

// {"type":"stats","id":"<id>","data":{...}} on one line, without the
// newline: the data keyed as runc's types.Stats, numbers as JSON numbers,
// and zero values printed or left out field by field as runc does (so that
// containerd's go-runc decodes it). InvalidArgument if a string in `id` or
// `stats` is not valid UTF-8.
absl::StatusOr<std::string> StatsEventLine(const std::string& id, const cgroups::Stats& stats);

// {"type":"oom","id":"<id>"}: runc's event for an OOM kill, with no data.
absl::StatusOr<std::string> OomEventLine(const std::string& id);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_STATS_EVENT_H_
