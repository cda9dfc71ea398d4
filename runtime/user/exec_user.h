// Who the container's process runs as: a user spec resolved against the
// container's own /etc/passwd and /etc/group, as runc resolves it.
#ifndef HULL_RUNTIME_USER_EXEC_USER_H_
#define HULL_RUNTIME_USER_EXEC_USER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "config/runtime_spec.pb.h"

namespace hull::user {

// The ids the process switches to, and its home directory.
struct ExecUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
  // For setgroups(2): the groups that list the user (when it was given by
  // name), then the additional gids, without repeats.
  std::vector<uint32_t> supplementary_gids;
  std::string home = "/";

  bool operator==(const ExecUser&) const = default;
};

// The contents of the container's /etc/passwd and /etc/group; nullopt for a
// file the container does not have.
struct UserDatabase {
  absl::optional<std::string> passwd;
  absl::optional<std::string> group;
};

// Reads <root>/etc/passwd, and <root>/etc/group when resolving `user_spec`
// uses it (ResolvingReadsGroupFile), resolved inside `root` (an image's
// symlink cannot point them at the host's files). `root` is "/" in the
// container's init, after pivot_root.
absl::StatusOr<UserDatabase> ReadUserDatabase(const std::string& root,
                                              absl::string_view user_spec);

// Whether ResolveExecUser looks `user_spec` up in the group file: for a
// group name, or for the user's memberships when no group is given; a
// numeric group is taken as it is (an OCI config's "<uid>:<gid>").
bool ResolvingReadsGroupFile(absl::string_view user_spec);

// runc's user spec for process.user: "<uid>:<gid>".
std::string UserSpec(const config::User& user);

// Resolves `user_spec` ("", "name", "uid", "name:group", "uid:gid",
// "name:gid", "uid:group") as runc's user.GetExecUser does:
//  - the user: an entry matched by name, or by uid when numeric ("" means
//    uid 0); its uid, gid and home are taken. A numeric uid without an entry
//    is used as is (gid 0, home "/"); an unknown name is an error:
//    `unable to find user daemonx: no matching entries in passwd file`.
//  - the group: when given, a gid as it is or a name's gid, replacing the
//    user's gid; an unknown name is `unable to find group x: no matching entries in group
//    file`. When not given and the user was found in passwd, every group
//    that lists the user becomes a supplementary group.
//  - ids must be in 0..2147483647.
// `additional_gids` (process.user.additionalGids) follow the supplementary
// groups.
absl::StatusOr<ExecUser> ResolveExecUser(absl::string_view user_spec,
                                         absl::Span<const uint32_t> additional_gids,
                                         const UserDatabase& database);

}  // namespace hull::user

#endif  // HULL_RUNTIME_USER_EXEC_USER_H_
