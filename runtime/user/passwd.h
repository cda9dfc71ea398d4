// Parsing the container's /etc/passwd and /etc/group (passwd(5), group(5)).
// Hull reads them itself: the host's NSS must never answer for a container.
#ifndef HULL_RUNTIME_USER_PASSWD_H_
#define HULL_RUNTIME_USER_PASSWD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace hull::user {

// The fields of a passwd line (name:password:UID:GID:GECOS:directory:shell)
// that resolving a user reads.
struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;

  bool operator==(const PasswdEntry&) const = default;
};

// The fields of a group line (group_name:password:GID:user_list) that
// resolving a user reads.
struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;

  bool operator==(const GroupEntry&) const = default;
};

// The first entry of a passwd file, in file order, whose name and UID
// `matches`; nullopt when none does. Blank lines and '#' comments are
// skipped, and so is any line whose UID or GID field is missing or not a
// decimal number (runc would read such a field as 0, i.e. root); missing
// trailing fields are empty. Only the matching entry's fields are copied: a
// lookup reads the file once, however many users it has.
std::optional<PasswdEntry> FindPasswdEntry(
    absl::string_view text, absl::FunctionRef<bool(absl::string_view name, uint32_t uid)> matches);

// The entries of a group file, in file order, with FindPasswdEntry's rules
// (the GID must be a decimal number); an empty user list has no members.
std::vector<GroupEntry> ParseGroup(absl::string_view text);

}  // namespace hull::user

#endif  // HULL_RUNTIME_USER_PASSWD_H_
