// Walks of a cgroup and the cgroups below it, the same on v1 and v2.
#ifndef HULL_CGROUPS_CGROUP_TREE_H_
#define HULL_CGROUPS_CGROUP_TREE_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"

namespace hull::cgroups {

// The pids in cgroup.procs of `cgroup` and of every cgroup below it, each
// cgroup before its children. A cgroup below that was removed meanwhile had
// no process left; `cgroup` itself missing is NotFound. DataLoss naming the
// file for a line that is not a pid.
absl::StatusOr<std::vector<pid_t>> ProcessesBelow(CgroupFs& fs, const std::string& cgroup);

// Removes `cgroup` and the cgroups below it, deepest first; one gone already
// is fine. The cgroups below are listed only when rmdir of `cgroup` is
// refused: one without children costs a single rmdir. A busy rmdir
// (FailedPrecondition: a cgroup whose last process just exited stays busy
// for a moment) is tried again `busy_retries` times, from 10 ms apart,
// doubling.
absl::Status RemoveCgroupTree(CgroupFs& fs, const std::string& cgroup, int busy_retries);

// Removes the parents of `cgroup` up to and including `topmost` (the first
// directory Create made), deepest first. One that is busy holds another
// container's cgroup: it and those above it stay.
absl::Status RemoveCreatedParents(CgroupFs& fs, const std::string& cgroup,
                                  const std::string& topmost);

// The topmost directory of the chain down to `cgroup` that does not exist
// yet: the first one a Manager's Create makes there (what its CreatedPaths
// will name); "" when `cgroup` exists.
std::string TopmostMissing(CgroupFs& fs, const std::string& cgroup);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_CGROUP_TREE_H_
