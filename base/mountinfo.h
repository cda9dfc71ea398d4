// /proc/<pid>/mountinfo, parsed (proc(5)). Read it with ProcFiles.
#ifndef HULL_BASE_MOUNTINFO_H_
#define HULL_BASE_MOUNTINFO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull {

struct MountInfo {
  int id = 0;
  int parent_id = 0;
  unsigned major = 0;
  unsigned minor = 0;
  std::string root;                          // the mounted directory inside its filesystem
  std::string mount_point;                   // relative to the reader's root
  std::vector<std::string> options;          // per mount: "rw", "nosuid", "relatime"
  std::vector<std::string> optional_fields;  // "shared:12", "master:3", "unbindable"
  std::string fstype;
  std::string source;
  std::vector<std::string> super_options;  // per filesystem

  bool HasOption(absl::string_view option) const;
  // "shared", "slave", "shared,slave" (both), "unbindable" or "private".
  std::string Propagation() const;
};

// Octal escapes (\040 for a space) are decoded. A malformed line is
// InvalidArgument naming it.
absl::StatusOr<std::vector<MountInfo>> ParseMountInfo(absl::string_view text);

}  // namespace hull

#endif  // HULL_BASE_MOUNTINFO_H_
