// The formats of cgroup control files (the kernel's cgroup-v2.rst "Interface
// Files" conventions, which v1 files follow too), parsed from their contents.
// Pure. `path` only names the file in errors.
#ifndef HULL_CGROUPS_CONTROL_FILE_H_
#define HULL_CGROUPS_CONTROL_FILE_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::cgroups {

// What "max" reads as: no limit.
inline constexpr uint64_t kUnlimited = UINT64_MAX;

// A single value ("123\n", or "max\n" as kUnlimited).
absl::StatusOr<uint64_t> ParseSingleValue(absl::string_view contents, absl::string_view path);

// Flat keyed lines, "key value" ("usage_usec 42"; "max" as kUnlimited).
absl::StatusOr<std::map<std::string, uint64_t>> ParseFlatKeyed(absl::string_view contents,
                                                               absl::string_view path);

// Words separated by spaces or newlines (cgroup.controllers, "0-3,5").
std::vector<std::string> ParseWords(absl::string_view contents);

// One pid a line (cgroup.procs).
absl::StatusOr<std::vector<pid_t>> ParsePids(absl::string_view contents, absl::string_view path);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_CONTROL_FILE_H_
