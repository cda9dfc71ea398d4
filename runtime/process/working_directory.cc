#include "runtime/process/working_directory.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

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

absl::Status EnterWorkingDirectory(absl::string_view cwd) {
  return Enter(cwd, /*defer_permission_denied=*/false).status();
}

absl::StatusOr<bool> TryEnterWorkingDirectory(absl::string_view cwd) {
  return Enter(cwd, /*defer_permission_denied=*/true);
}

}  // namespace hull::process
