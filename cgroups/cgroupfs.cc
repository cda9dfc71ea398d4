#include "cgroups/cgroupfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::cgroups {
namespace {

// Control files are small; anything larger is not one.
constexpr size_t kMaxFileSize = 4 << 20;

}  // namespace

std::string CgroupFile(absl::string_view directory, absl::string_view name) {
  return absl::StrCat(directory, "/", name);
}

absl::StatusOr<std::optional<std::string>> ReadOptionalFile(CgroupFs& fs, const std::string& path) {
  absl::StatusOr<std::string> contents = fs.ReadFile(path);
  if (absl::IsNotFound(contents.status())) return std::nullopt;
  if (!contents.ok()) return contents.status();
  return *std::move(contents);
}

absl::Status MakeDirectoryChain(
    CgroupFs& fs, const std::string& mount_point, const std::string& path,
    const std::function<absl::Status(const std::string& parent)>& before_mkdir,
    const std::function<absl::Status(const std::string& directory, const std::string& parent)>&
        after_made,
    std::vector<std::string>& made) {
  constexpr int kMaxRestarts = 3;
  // The names below the mount point, walked in place.
  const absl::string_view below = absl::string_view(path).substr(mount_point.size());
  std::string parent = mount_point;
  int restarts = 0;
  size_t position = 0;
  while (true) {
    while (position < below.size() && below[position] == '/') ++position;
    if (position == below.size()) break;
    const size_t end = std::min(below.find('/', position), below.size());
    std::string directory = absl::StrCat(parent, "/", below.substr(position, end - position));
    absl::Status status = before_mkdir(parent);
    if (status.ok()) status = fs.MakeDirectory(directory);
    if (status.ok()) {
      made.push_back(directory);
      RETURN_IF_ERROR(after_made(directory, parent));
    } else if (absl::IsNotFound(status) && parent != mount_point && restarts++ < kMaxRestarts) {
      parent = mount_point;
      position = 0;
      continue;
    } else if (!absl::IsAlreadyExists(status)) {
      return status;
    }
    parent = std::move(directory);
    position = end;
  }
  return absl::OkStatus();
}

LinuxCgroupFs::Start LinuxCgroupFs::StartOf(const std::string& path) {
  const size_t length = root_path_.size();
  if (path.size() <= length + 1 || path.compare(0, length, root_path_) != 0 ||
      path[length] != '/') {
    return {AT_FDCWD, path.c_str()};
  }
  std::call_once(root_opened_, [this] {
    root_.Reset(open(root_path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  });
  if (!root_.valid()) return {AT_FDCWD, path.c_str()};
  return {root_.get(), path.c_str() + length + 1};
}

absl::StatusOr<std::string> LinuxCgroupFs::ReadFile(const std::string& path) {
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return ReadAll(fd.get(), path, kMaxFileSize);
}

absl::Status CgroupFs::WriteEach(const std::string& path, absl::Span<const std::string> values) {
  for (const std::string& value : values) RETURN_IF_ERROR(WriteFile(path, value));
  return absl::OkStatus();
}

namespace {

// One command: `value` in one write(2) to `fd`, open on `path`.
absl::Status WriteCommand(int fd, const std::string& path, absl::string_view value) {
  ssize_t written;
  do {
    written = write(fd, value.data(), value.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) {
    return ErrnoStatus("write \"", value, "\" to ", path);
  }
  if (static_cast<size_t>(written) != value.size()) {
    return absl::DataLossError(absl::StrFormat("write \"%s\" to %s: wrote %d of %d bytes", value,
                                               path, written, value.size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LinuxCgroupFs::WriteFile(const std::string& path, absl::string_view value) {
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return WriteCommand(fd.get(), path, value);
}

absl::Status LinuxCgroupFs::WriteEach(const std::string& path,
                                      absl::Span<const std::string> values) {
  if (values.empty()) return absl::OkStatus();
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  for (const std::string& value : values) RETURN_IF_ERROR(WriteCommand(fd.get(), path, value));
  return absl::OkStatus();
}

bool LinuxCgroupFs::Exists(const std::string& path) {
  const Start start = StartOf(path);
  struct stat st;
  return fstatat(start.directory, start.relative, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

absl::Status LinuxCgroupFs::MakeDirectory(const std::string& path) {
  const Start start = StartOf(path);
  if (mkdirat(start.directory, start.relative, 0755) != 0) return ErrnoStatus("mkdir ", path);
  return absl::OkStatus();
}

absl::Status LinuxCgroupFs::RemoveDirectory(const std::string& path) {
  const Start start = StartOf(path);
  if (unlinkat(start.directory, start.relative, AT_REMOVEDIR) != 0) {
    return ErrnoStatus("rmdir ", path);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> LinuxCgroupFs::ListDirectories(const std::string& path) {
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("opendir ", path);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(fd.get()), closedir);
  if (dir == nullptr) return ErrnoStatus("opendir ", path);
  (void)fd.Release();  // the DIR owns it now
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const struct dirent* entry = readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return ErrnoStatus("readdir ", path);
      break;
    }
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool is_directory = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st;
      is_directory = fstatat(dirfd(dir.get()), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISDIR(st.st_mode);
    }
    if (is_directory) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<UniqueFd> LinuxCgroupFs::OpenDirectory(const std::string& path) {
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return fd;
}

absl::StatusOr<UniqueFd> LinuxCgroupFs::OpenForWriting(const std::string& path) {
  const Start start = StartOf(path);
  UniqueFd fd(openat(start.directory, start.relative, O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return fd;
}

absl::Status LinuxCgroupFs::Kill(pid_t pid, int signal) {
  if (kill(pid, signal) != 0) {
    return ErrnoStatus(absl::StrFormat("kill %d with signal %d", pid, signal));
  }
  return absl::OkStatus();
}

}  // namespace hull::cgroups
