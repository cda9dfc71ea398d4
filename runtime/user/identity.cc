#include "runtime/user/identity.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "base/status_util.h"
#include "runtime/user/exec_user.h"
#include "base/status_macros.h"

namespace hull::user {
namespace {

// EINVAL from set*id means the id has no mapping in the user namespace.
absl::Status IdError(int error, const char* call, const char* kind, uint32_t id) {
  std::string message = absl::StrCat(call, " ", id);
  if (error == EINVAL) {
    return absl::InvalidArgumentError(
        absl::StrCat(message, ": ", strerror(error), " (", kind, " ", id,
                     " is not mapped in the container's user namespace)"));
  }
  return absl::ErrnoToStatus(error, message);
}

}  // namespace

absl::StatusOr<bool> LinuxIdentity::SetgroupsAllowed() {
  absl::StatusOr<std::string> setgroups = proc_.Read("self/setgroups");
  // Kernels before 3.19 have no such file, and allow setgroups.
  if (setgroups.status().code() == absl::StatusCode::kNotFound) return true;
  RETURN_IF_ERROR(setgroups.status());
  return absl::StripAsciiWhitespace(*setgroups) != "deny";
}

absl::Status LinuxIdentity::SetGroups(absl::Span<const uint32_t> gids) {
  const std::vector<gid_t> list(gids.begin(), gids.end());
  if (setgroups(list.size(), list.data()) != 0) {
    return ErrnoStatus("setgroups [", absl::StrJoin(gids, " "), "]");
  }
  return absl::OkStatus();
}

absl::Status LinuxIdentity::SetGid(uint32_t gid) {
  if (setresgid(gid, gid, gid) != 0) return IdError(errno, "setresgid", "gid", gid);
  return absl::OkStatus();
}

absl::Status LinuxIdentity::SetUid(uint32_t uid) {
  if (setresuid(uid, uid, uid) != 0) return IdError(errno, "setresuid", "uid", uid);
  return absl::OkStatus();
}

absl::Status LinuxIdentity::SetKeepCapabilities(bool keep) {
  if (prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0) != 0) {
    return ErrnoStatus("prctl(PR_SET_KEEPCAPS, ", keep ? 1 : 0, ")");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> LinuxIdentity::ParentDeathSignal() {
  int signal = 0;
  if (prctl(PR_GET_PDEATHSIG, &signal, 0, 0, 0) != 0) {
    return ErrnoStatus("prctl(PR_GET_PDEATHSIG)");
  }
  return signal;
}

absl::Status LinuxIdentity::SetParentDeathSignal(int signal) {
  if (prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0) != 0) {
    return ErrnoStatus("prctl(PR_SET_PDEATHSIG, ", signal, ")");
  }
  return absl::OkStatus();
}

absl::Status LinuxIdentity::GiveStdioTo(uint32_t uid) {
  struct stat null_device;
  const bool have_null = stat("/dev/null", &null_device) == 0 && S_ISCHR(null_device.st_mode);
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
      if (errno == EBADF) continue;
      return ErrnoStatus("fstat fd ", fd);
    }
    if (st.st_uid == uid) continue;
    if (have_null && S_ISCHR(st.st_mode) && st.st_rdev == null_device.st_rdev) continue;
    if (fchown(fd, uid, static_cast<gid_t>(-1)) != 0) {
      if (errno == EINVAL || errno == EPERM || errno == EROFS) continue;
      return ErrnoStatus("fchown fd ", fd, " to uid ", uid);
    }
  }
  return absl::OkStatus();
}

absl::Status SwitchUser(const ExecUser& user, Identity& identity) {
  ASSIGN_OR_RETURN(const int parent_death_signal, identity.ParentDeathSignal());
  RETURN_IF_ERROR(identity.GiveStdioTo(user.uid));
  ASSIGN_OR_RETURN(const bool setgroups_allowed, identity.SetgroupsAllowed());
  if (setgroups_allowed) RETURN_IF_ERROR(identity.SetGroups(user.supplementary_gids));
  RETURN_IF_ERROR(identity.SetKeepCapabilities(true));
  RETURN_IF_ERROR(identity.SetGid(user.gid));
  RETURN_IF_ERROR(identity.SetUid(user.uid));
  RETURN_IF_ERROR(identity.SetKeepCapabilities(false));
  if (parent_death_signal != 0) RETURN_IF_ERROR(identity.SetParentDeathSignal(parent_death_signal));
  return absl::OkStatus();
}

}  // namespace hull::user
