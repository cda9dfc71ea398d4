// Switching the container's process to its user: supplementary groups, gid,
// uid, keeping the capability sets across the change so that the
// capability step can then set them as the config says.
#ifndef HULL_RUNTIME_USER_IDENTITY_H_
#define HULL_RUNTIME_USER_IDENTITY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/procfs_files.h"
#include "runtime/user/exec_user.h"

namespace hull::user {

// The kernel calls that change who the calling process is.
class Identity {
 public:
  virtual ~Identity() = default;

  // False when /proc/self/setgroups says "deny" (a user namespace whose gid
  // map was written without privilege).
  virtual absl::StatusOr<bool> SetgroupsAllowed() = 0;
  virtual absl::Status SetGroups(absl::Span<const uint32_t> gids) = 0;
  // setresgid / setresuid: real, effective and saved ids alike.
  virtual absl::Status SetGid(uint32_t gid) = 0;
  virtual absl::Status SetUid(uint32_t uid) = 0;
  // PR_SET_KEEPCAPS: whether the permitted capabilities survive leaving
  // uid 0 (the kernel clears the flag again at execve).
  virtual absl::Status SetKeepCapabilities(bool keep) = 0;
  // PR_GET_PDEATHSIG / PR_SET_PDEATHSIG: a credential change clears it.
  virtual absl::StatusOr<int> ParentDeathSignal() = 0;
  virtual absl::Status SetParentDeathSignal(int signal) = 0;
  // Gives stdin, stdout and stderr to `uid` (fchown, group unchanged) so
  // that a non-root process can use its terminal or pipes, as runc does.
  // Closed fds, /dev/null, fds `uid` owns already and fds whose owner
  // cannot be changed (EINVAL: unmapped; EPERM; EROFS) are left alone.
  virtual absl::Status GiveStdioTo(uint32_t uid) = 0;
};

class LinuxIdentity final : public Identity {
 public:
  // `proc` reads /proc/self/setgroups.
  explicit LinuxIdentity(ProcFiles& proc) : proc_(proc) {}

  absl::StatusOr<bool> SetgroupsAllowed() override;
  absl::Status SetGroups(absl::Span<const uint32_t> gids) override;
  absl::Status SetGid(uint32_t gid) override;
  absl::Status SetUid(uint32_t uid) override;
  absl::Status SetKeepCapabilities(bool keep) override;
  absl::StatusOr<int> ParentDeathSignal() override;
  absl::Status SetParentDeathSignal(int signal) override;
  absl::Status GiveStdioTo(uint32_t uid) override;

 private:
  ProcFiles& proc_;
};

// Becomes `user`: stdio ownership, setgroups (skipped, as runc does, where
// the user namespace denies it), setresgid, setresuid, with PR_SET_KEEPCAPS
// around the uid change; restores the parent death signal afterwards.
absl::Status SwitchUser(const ExecUser& user, Identity& identity);

}  // namespace hull::user

#endif  // HULL_RUNTIME_USER_IDENTITY_H_
