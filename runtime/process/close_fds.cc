#include "runtime/process/close_fds.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::process {
namespace {

absl::Status CloseRange(unsigned first, unsigned last, int flags) {
  if (first > last) return absl::OkStatus();
  if (close_range(first, last, flags) != 0) {
    return ErrnoStatus("close_range(", first, ", ", last,
                            flags == CLOSE_RANGE_CLOEXEC ? ", CLOSE_RANGE_CLOEXEC)" : ")");
  }
  return absl::OkStatus();
}

absl::Status CheckFirst(int first) {
  if (first < 3) return absl::InvalidArgumentError(absl::StrCat("fd ", first, " is stdio"));
  return absl::OkStatus();
}

}  // namespace

absl::Status MarkCloseOnExecFrom(int first) {
  RETURN_IF_ERROR(CheckFirst(first));
  return CloseRange(static_cast<unsigned>(first), UINT_MAX, CLOSE_RANGE_CLOEXEC);
}

absl::Status CloseFdsFrom(int first, absl::Span<const int> keep) {
  RETURN_IF_ERROR(CheckFirst(first));
  std::vector<int> kept(keep.begin(), keep.end());
  std::sort(kept.begin(), kept.end());
  unsigned next = static_cast<unsigned>(first);
  for (const int fd : kept) {
    if (fd < first) continue;
    RETURN_IF_ERROR(CloseRange(next, static_cast<unsigned>(fd) - 1, 0));
    next = static_cast<unsigned>(fd) + 1;
  }
  return CloseRange(next, UINT_MAX, 0);
}

absl::Status PlaceInheritedFds(absl::Span<const int> fds) {
  const int count = static_cast<int>(fds.size());
  // Copies out of [0, count) first: fds[j] may be the number fds[i] goes to.
  std::vector<int> copies;
  copies.reserve(fds.size());
  for (const int fd : fds) {
    const int copy = fcntl(fd, F_DUPFD_CLOEXEC, count);
    if (copy < 0) return ErrnoStatus("fcntl(", fd, ", F_DUPFD_CLOEXEC)");
    copies.push_back(copy);
  }
  for (int target = 0; target < count; ++target) {
    if (dup2(copies[target], target) < 0) return ErrnoStatus("dup2(", copies[target], ", ", target, ")");
    close(copies[target]);
  }
  return absl::OkStatus();
}

}  // namespace hull::process
