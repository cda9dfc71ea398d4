// Text split into whitespace-separated fields.
#ifndef HULL_BASE_FIELDS_H_
#define HULL_BASE_FIELDS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace hull {

// The fields of `text` between runs of ASCII whitespace, as Go's
// strings.Fields splits it: " a  b\n" is {"a", "b"}. The views point into
// `text`. The kernel's list files (cgroup.controllers, cpuset lists,
// uid_map, mountinfo lines) are read with it.
std::vector<absl::string_view> SplitFields(absl::string_view text);

}  // namespace hull

#endif  // HULL_BASE_FIELDS_H_
