// Parsing of cgroup control files: the formats the kernel's
// Documentation/admin-guide/cgroup-v{1,2} describe. Pure, but for
// ReadUintFile.
#ifndef HULL_CGROUPS_STAT_FILES_H_
#define HULL_CGROUPS_STAT_FILES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/stats.pb.h"

namespace hull::cgroups {

// A single unsigned value ("1024\n"); "max" is UINT64_MAX. Errors name
// `file`.
absl::StatusOr<uint64_t> ParseUint(absl::string_view text, absl::string_view file);

// ParseUint of the file at `path`, read through `fs`.
absl::StatusOr<uint64_t> ReadUintFile(CgroupFs& fs, const std::string& path);

// Flat keyed lines "key value" (memory.stat, cpu.stat, cpuacct.stat).
absl::StatusOr<std::map<std::string, uint64_t>> ParseKeyValues(absl::string_view text,
                                                               absl::string_view file);

// Space-separated values (cpuacct.usage_percpu).
absl::StatusOr<std::vector<uint64_t>> ParseUintList(absl::string_view text,
                                                    absl::string_view file);

// A cpuset list ("0-3,5", "" for none) expanded, ascending as written.
absl::StatusOr<std::vector<uint32_t>> ParseCpuList(absl::string_view text,
                                                   absl::string_view file);

// A v1 blkio statistics file: "8:0 Read 1024" lines (op "" for
// "8:0 1024"); the "Total N" line is left out.
absl::StatusOr<std::vector<BlkioEntry>> ParseBlkioEntries(absl::string_view text,
                                                          absl::string_view file);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_STAT_FILES_H_
