// Small helpers for building absl::Status messages.
#ifndef HULL_RUNTIME_UTIL_STATUS_UTIL_H_
#define HULL_RUNTIME_UTIL_STATUS_UTIL_H_

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hull {

// The status of the call that just failed: its errno, and `what` it did
// ("mount \"proc\" on \"/proc\"" gives "mount \"proc\" on \"/proc\": Operation
// not permitted"). Call it before anything else can change errno.
inline absl::Status ErrnoStatus(absl::string_view what) {
  return absl::ErrnoToStatus(errno, what);
}

// `status` with "`context`: " before its message; OK stays OK.
inline absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

}  // namespace hull

#endif  // HULL_RUNTIME_UTIL_STATUS_UTIL_H_
