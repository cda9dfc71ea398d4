#include "testing/held_resources.h"

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "testing/files.h"

namespace hull::testing {

absl::StatusOr<HeldResources> SnapshotHeldResources() {
  HeldResources held;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return ErrnoStatus("opendir /proc/self/fd");
  const int dir_fd = dirfd(dir);
  while (const dirent* entry = readdir(dir)) {
    int fd;
    if (!absl::SimpleAtoi(entry->d_name, &fd) || fd == dir_fd) continue;
    char target[PATH_MAX];
    const ssize_t length = readlinkat(dir_fd, entry->d_name, target, sizeof(target));
    held.fds[fd] = length < 0 ? "(closed while listing)" : std::string(target, length);
  }
  closedir(dir);
  absl::StatusOr<std::string> mountinfo = ReadFile("/proc/self/mountinfo");
  if (!mountinfo.ok()) return mountinfo.status();
  held.mountinfo = *std::move(mountinfo);
  return held;
}

absl::Status CheckNoChildren() {
  siginfo_t info = {};
  if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno == ECHILD) return absl::OkStatus();
    return ErrnoStatus("waitid(P_ALL)");
  }
  if (info.si_pid != 0) {
    return absl::FailedPreconditionError(absl::StrCat("child ", info.si_pid, " is a zombie"));
  }
  // Running: name it where the kernel lists children.
  absl::StatusOr<std::string> children =
      ReadFile(absl::StrCat("/proc/self/task/", getpid(), "/children"));
  return absl::FailedPreconditionError(
      absl::StrCat("a child is running (children: ", children.ok() ? *children : "unknown", ")"));
}

}  // namespace hull::testing
