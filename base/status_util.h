// Small helpers for building absl::Status messages.
#ifndef HULL_BASE_STATUS_UTIL_H_
#define HULL_BASE_STATUS_UTIL_H_

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hull {

// The status of the call that just failed: its errno, and what it did, given
// as the pieces of a message (`ErrnoStatus("mount ", source, " on ", target)`
// gives "mount proc on /proc: Operation not permitted"). errno is read before
// anything is formatted, so pass the pieces, not a formatted string: a
// StrCat in the arguments may allocate, and change errno, first.
template <typename... Pieces>
absl::Status ErrnoStatus(const Pieces&... pieces) {
  const int error = errno;
  return absl::ErrnoToStatus(error, absl::StrCat(pieces...));
}

// `status` with "`context`: " before its message; OK stays OK.
inline absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

}  // namespace hull

#endif  // HULL_BASE_STATUS_UTIL_H_
