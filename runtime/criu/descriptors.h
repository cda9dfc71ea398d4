// descriptors.json: what the container's init had as fds 0, 1 and 2 when it
// was checkpointed, as /proc/<pid>/fd showed them ("pipe:[123]",
// "/dev/null"), a JSON array of strings in the image directory, as runc
// writes it. Restore gives its own stdio for the pipes (requests.h).
#ifndef HULL_RUNTIME_CRIU_DESCRIPTORS_H_
#define HULL_RUNTIME_CRIU_DESCRIPTORS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::runtime::criu {

inline constexpr char kDescriptorsFile[] = "descriptors.json";

std::string FormatDescriptors(const std::vector<std::string>& descriptors);

// InvalidArgument naming what is wrong when `json` is not an array of strings.
absl::StatusOr<std::vector<std::string>> ParseDescriptors(absl::string_view json);

}  // namespace hull::runtime::criu

#endif  // HULL_RUNTIME_CRIU_DESCRIPTORS_H_
