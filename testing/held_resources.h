// What a test process holds that a failed operation must give back: its open
// fds, the mounts it sees, its children. A test snapshots them before the
// operation and compares after.
#ifndef HULL_TESTING_HELD_RESOURCES_H_
#define HULL_TESTING_HELD_RESOURCES_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hull::testing {

struct HeldResources {
  // Each open fd and what /proc/self/fd/<fd> links to.
  std::map<int, std::string> fds;
  // /proc/self/mountinfo.
  std::string mountinfo;

  bool operator==(const HeldResources&) const = default;
};

// A snapshot of the calling process's resources.
absl::StatusOr<HeldResources> SnapshotHeldResources();

// OK when the calling process has no child, running or zombie (nothing is
// reaped); FailedPrecondition naming one otherwise.
absl::Status CheckNoChildren();

}  // namespace hull::testing

#endif  // HULL_TESTING_HELD_RESOURCES_H_
