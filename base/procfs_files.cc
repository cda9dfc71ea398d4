#include "base/procfs_files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/root_directory.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull {
namespace {

// Opens `path` beneath the procfs at `mount_point` with `flags`, checked twice:
// the mount point must be procfs, and so must the file finally opened.
absl::StatusOr<UniqueFd> OpenProcfsRoot(const std::string& mount_point) {
  UniqueFd root(open(mount_point.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return ErrnoStatus("open ", mount_point);
  RETURN_IF_ERROR(RequireProcfs(root.get(), mount_point));
  return root;
}

// `pinned`: the procfs root held by LinuxProcFiles::Pin, or -1.
absl::StatusOr<UniqueFd> OpenBeneathProc(const std::string& mount_point, int pinned,
                                         absl::string_view path, int flags) {
  const std::string full_path = absl::StrCat(mount_point, "/", path);
  if (path.empty() || absl::StartsWith(path, "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\" is not a path relative to ", mount_point));
  }
  UniqueFd opened_root;
  if (pinned < 0) {
    ASSIGN_OR_RETURN(opened_root, OpenProcfsRoot(mount_point));
  }
  const int root_fd = pinned >= 0 ? pinned : opened_root.get();

  // RESOLVE_BENEATH keeps ".." and absolute symlinks inside the mount;
  // "self" is an ordinary symlink, but the fd/exe/root/cwd magic links are
  // refused, and so is a symlink in the final component.
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  const std::string relative(path);
  const int fd =
      static_cast<int>(syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof(how)));
  if (fd < 0 && (errno == ELOOP || errno == EXDEV)) {
    return absl::FailedPreconditionError(
        absl::StrCat("open ", full_path, ": ", strerror(errno),
                     " (magic links, final symlinks and paths out of procfs are refused)"));
  }
  if (fd < 0) return ErrnoStatus("open ", full_path);
  UniqueFd file(fd);
  RETURN_IF_ERROR(RequireProcfs(file.get(), full_path));
  return file;
}

}  // namespace

LinuxProcFiles::LinuxProcFiles(std::string mount_point) : mount_point_(std::move(mount_point)) {}

absl::Status LinuxProcFiles::Write(absl::string_view path, absl::string_view value) {
  ASSIGN_OR_RETURN(UniqueFd file, OpenBeneathProc(mount_point_, pinned_.get(), path, O_WRONLY));
  ssize_t written;
  do {
    written = write(file.get(), value.data(), value.size());
  } while (written < 0 && errno == EINTR);
  const std::string full_path = absl::StrCat(mount_point_, "/", path);
  if (written < 0) return ErrnoStatus("write ", full_path);
  if (static_cast<size_t>(written) != value.size()) {
    return absl::DataLossError(
        absl::StrFormat("write %s: wrote %d of %d bytes", full_path, written, value.size()));
  }
  return absl::OkStatus();
}

absl::Status LinuxProcFiles::Pin() {
  ASSIGN_OR_RETURN(pinned_, OpenProcfsRoot(mount_point_));
  return absl::OkStatus();
}

absl::StatusOr<std::string> LinuxProcFiles::Read(absl::string_view path) {
  ASSIGN_OR_RETURN(UniqueFd file, OpenBeneathProc(mount_point_, pinned_.get(), path, O_RDONLY));
  return ReadAll(file.get(), absl::StrCat(mount_point_, "/", path));
}

}  // namespace hull
