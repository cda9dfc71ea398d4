#include "runtime/process/working_directory.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"

namespace hull::process {
namespace {

absl::Status ChdirError(int error, absl::string_view cwd) {
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(absl::StrCat("cwd \"", cwd, "\" does not exist in the container"));
    case ENOTDIR:
      return absl::FailedPreconditionError(absl::StrCat("cwd \"", cwd, "\" is not a directory"));
    default:
      return absl::ErrnoToStatus(error, absl::StrCat("chdir to cwd \"", cwd, "\""));
  }
}

// getcwd fails with ENOENT (glibc >= 2.27) when the directory is not below
// the process's root.
absl::Status CheckInsideRoot(absl::string_view cwd) {
  char buffer[4096];
  if (getcwd(buffer, sizeof(buffer)) != nullptr && buffer[0] == '/') return absl::OkStatus();
  const int error = errno;
  if (error == ERANGE) return absl::OkStatus();  // too long to show, but a path
  return absl::PermissionDeniedError(absl::StrCat(
      "cwd \"", cwd, "\" is outside the container's root filesystem (getcwd: ", strerror(error),
      ")"));
}

absl::StatusOr<bool> Enter(absl::string_view cwd, bool defer_permission_denied) {
  if (cwd.empty()) return true;
  const std::string path(cwd);
  if (chdir(path.c_str()) != 0) {
    const int error = errno;
    if (error == EACCES && defer_permission_denied) return false;
    return ChdirError(error, cwd);
  }
  if (absl::Status status = CheckInsideRoot(cwd); !status.ok()) return status;
  return true;
}

}  // namespace

absl::Status CreateWorkingDirectory(absl::string_view cwd) {
  const std::string path(cwd);
  struct stat existing;
  if (path.empty() || (stat(path.c_str(), &existing) == 0 && S_ISDIR(existing.st_mode))) {
    return absl::OkStatus();
  }
  // Each prefix in turn; one that exists is fine here (a file among them
  // makes the next mkdir fail with ENOTDIR).
  size_t slash = 0;
  do {
    slash = path.find('/', slash + 1);
    const std::string prefix = path.substr(0, slash);
    if (prefix.back() == '/') continue;  // "//" or a trailing slash
    if (mkdir(prefix.c_str(), 0755) == 0) {
      // Whatever the inherited umask: the container's user must get in.
      if (chmod(prefix.c_str(), 0755) != 0) {
        return ErrnoStatus("create cwd \"", cwd, "\": chmod \"", prefix, "\"");
      }
    } else if (errno != EEXIST) {
      return ErrnoStatus("create cwd \"", cwd, "\": mkdir \"", prefix, "\"");
    }
  } while (slash != std::string::npos);
  return absl::OkStatus();
}

absl::Status EnterWorkingDirectory(absl::string_view cwd) {
  return Enter(cwd, /*defer_permission_denied=*/false).status();
}

absl::StatusOr<bool> TryEnterWorkingDirectory(absl::string_view cwd) {
  return Enter(cwd, /*defer_permission_denied=*/true);
}

}  // namespace hull::process
