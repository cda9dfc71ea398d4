#include "runtime/user/exec_user.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "base/file_io.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "runtime/user/passwd.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::user {
namespace {

// runc's range, kept for 32-bit compatibility.
constexpr uint64_t kMaxId = (uint64_t{1} << 31) - 1;

// A user database larger than this is not a file Hull reads.
constexpr size_t kMaxDatabaseSize = 16 << 20;

absl::Status OutOfRange() {
  return absl::InvalidArgumentError(absl::StrFormat("uids and gids must be in range 0-%d", kMaxId));
}

// The value of an all-digits `text` (saturated above kMaxId); nullopt for a
// name.
absl::optional<uint64_t> NumericId(absl::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), absl::ascii_isdigit)) {
    return absl::nullopt;
  }
  uint64_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id > kMaxId) return kMaxId + 1;
  return id;
}

void AddOnce(std::vector<uint32_t>& gids, uint32_t gid) {
  if (std::find(gids.begin(), gids.end(), gid) == gids.end()) gids.push_back(gid);
}

// Reads the regular file `path` (relative) inside `root`; nullopt when it
// does not exist.
absl::StatusOr<absl::optional<std::string>> ReadInRoot(int root_fd, const std::string& root,
                                                       const std::string& path) {
  const std::string shown = root == "/" ? absl::StrCat("/", path) : absl::StrCat(root, "/", path);
  struct open_how how = {};
  // O_NONBLOCK: a FIFO planted by the image must not hang the init.
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const int fd = static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof(how)));
  if (fd < 0 && errno == ENOENT) return absl::optional<std::string>();
  if (fd < 0) return ErrnoStatus("open ", shown);
  UniqueFd file(fd);
  struct stat st;
  if (fstat(file.get(), &st) != 0) return ErrnoStatus("fstat ", shown);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(shown, " is not a regular file"));
  }
  ASSIGN_OR_RETURN(std::string contents, ReadAll(file.get(), shown, kMaxDatabaseSize));
  return absl::optional<std::string>(std::move(contents));
}

}  // namespace

absl::StatusOr<UserDatabase> ReadUserDatabase(const std::string& root,
                                              absl::string_view user_spec) {
  UniqueFd root_fd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) return ErrnoStatus("open ", root);
  UserDatabase database;
  ASSIGN_OR_RETURN(database.passwd, ReadInRoot(root_fd.get(), root, "etc/passwd"));
  if (ResolvingReadsGroupFile(user_spec)) {
    ASSIGN_OR_RETURN(database.group, ReadInRoot(root_fd.get(), root, "etc/group"));
  }
  return database;
}

bool ResolvingReadsGroupFile(absl::string_view user_spec) {
  const size_t colon = user_spec.find(':');
  return colon == absl::string_view::npos ||
         !NumericId(user_spec.substr(colon + 1)).has_value();
}

std::string UserSpec(const config::User& user) { return absl::StrCat(user.uid(), ":", user.gid()); }

absl::StatusOr<ExecUser> ResolveExecUser(absl::string_view user_spec,
                                         absl::Span<const uint32_t> additional_gids,
                                         const UserDatabase& database) {
  // "user[:group]"; as runc reads it, anything after a second ':' is ignored.
  const size_t colon = user_spec.find(':');
  const absl::string_view user_arg = user_spec.substr(0, colon);
  absl::string_view group_arg;
  if (colon != absl::string_view::npos) {
    group_arg = user_spec.substr(colon + 1);
    group_arg = group_arg.substr(0, group_arg.find(':'));
  }
  ExecUser user;

  // The user: the first matching passwd entry.
  const absl::optional<uint64_t> uid_arg = NumericId(user_arg);
  std::optional<PasswdEntry> matched;
  if (database.passwd.has_value()) {
    matched = FindPasswdEntry(*database.passwd, [&](absl::string_view name, uint32_t uid) {
      return user_arg.empty()      ? uid == 0
             : uid_arg.has_value() ? uid == *uid_arg
                                   : name == user_arg;
    });
  }
  if (matched.has_value()) {
    user.uid = matched->uid;
    user.gid = matched->gid;
    // runc would set HOME to "" for an empty home field; "/" is its default.
    if (!matched->home.empty()) user.home = matched->home;
  } else if (!user_arg.empty()) {
    if (!uid_arg.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("unable to find user ", user_arg, ": no matching entries in passwd file"));
    }
    if (*uid_arg > kMaxId) return OutOfRange();
    user.uid = static_cast<uint32_t>(*uid_arg);
  }

  // The group: explicit (a number as it is, a name from the group file), or
  // the user's memberships.
  const absl::optional<uint64_t> gid_arg = NumericId(group_arg);
  if (gid_arg.has_value()) {
    if (*gid_arg > kMaxId) return OutOfRange();
    user.gid = static_cast<uint32_t>(*gid_arg);
  } else if (!group_arg.empty() || matched.has_value()) {
    const std::vector<GroupEntry> groups =
        database.group.has_value() ? ParseGroup(*database.group) : std::vector<GroupEntry>();
    if (!group_arg.empty()) {
      const auto found = std::find_if(groups.begin(), groups.end(), [&](const GroupEntry& group) {
        return group.name == group_arg;
      });
      if (found == groups.end()) {
        return absl::NotFoundError(absl::StrCat("unable to find group ", group_arg,
                                                ": no matching entries in group file"));
      }
      user.gid = found->gid;
    } else {
      for (const GroupEntry& group : groups) {
        if (std::find(group.members.begin(), group.members.end(), matched->name) !=
            group.members.end()) {
          AddOnce(user.supplementary_gids, group.gid);
        }
      }
    }
  }

  for (const uint32_t gid : additional_gids) {
    if (gid > kMaxId) return OutOfRange();
    AddOnce(user.supplementary_gids, gid);
  }
  return user;
}

}  // namespace hull::user
