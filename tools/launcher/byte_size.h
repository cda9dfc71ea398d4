// Sizes as runc's update flags take them: "1024", "100k", "64M", "1g", "-1".
#ifndef HULL_TOOLS_LAUNCHER_BYTE_SIZE_H_
#define HULL_TOOLS_LAUNCHER_BYTE_SIZE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::launcher {

// Binary units (k = 1024), any case, an optional trailing "b"; -1 means
// unlimited and is passed through.
absl::StatusOr<int64_t> ParseByteSize(absl::string_view text);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_BYTE_SIZE_H_
