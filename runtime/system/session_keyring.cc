#include "runtime/system/session_keyring.h"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/namespaces.h"
#include "config/runtime_spec.pb.h"
#include "base/status_macros.h"

namespace hull::system {
namespace {

// From <keyutils.h> (KEY_USR_SEARCH, KEY_OTH_SEARCH), which Hull does not
// link for two constants.
constexpr uint32_t kOwnerSearch = 0x00080000;
constexpr uint32_t kOthersSearch = 0x00000008;

}  // namespace

absl::StatusOr<int32_t> LinuxKeyrings::JoinSessionKeyring(absl::string_view name) {
  const std::string name_string(name);
  const long key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name_string.c_str());
  if (key < 0) {
    return ErrnoStatus("join session keyring \"", name, "\"");
  }
  return static_cast<int32_t>(key);
}

absl::StatusOr<std::string> LinuxKeyrings::Describe(int32_t key) {
  std::string description(256, '\0');
  while (true) {
    // Returns the size the whole description needs, NUL included.
    const long size =
        syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, description.data(), description.size());
    if (size < 0) return ErrnoStatus("describe key ", key);
    if (static_cast<size_t>(size) <= description.size()) {
      description.resize(size > 0 ? static_cast<size_t>(size) - 1 : 0);
      return description;
    }
    description.resize(static_cast<size_t>(size));
  }
}

absl::Status LinuxKeyrings::SetPermissions(int32_t key, uint32_t permissions) {
  if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, permissions) != 0) {
    return ErrnoStatus(absl::StrFormat("set permissions of key %d to %08x", key, permissions));
  }
  return absl::OkStatus();
}

std::string SessionKeyringName(absl::string_view container_id) {
  return absl::StrCat("_ses.", container_id);
}

absl::StatusOr<uint32_t> ParseKeyPermissions(absl::string_view description) {
  // "<type>;<uid>;<gid>;<perm>;<description>": the fourth field, in hex.
  // Text with fewer separators leaves none after the field.
  absl::string_view rest = description;
  for (int skipped = 0; skipped < 3; ++skipped) {
    const size_t separator = rest.find(';');
    if (separator == absl::string_view::npos) break;
    rest.remove_prefix(separator + 1);
  }
  const size_t end = rest.find(';');
  uint32_t permissions = 0;
  if (end == absl::string_view::npos || !absl::SimpleHexAtoi(rest.substr(0, end), &permissions)) {
    return absl::InvalidArgumentError(
        absl::StrCat("key description \"", description, "\" has no permission field"));
  }
  return permissions;
}

absl::Status JoinContainerSessionKeyring(const config::Spec& spec, absl::string_view container_id,
                                         Keyrings& keyrings) {
  absl::StatusOr<int32_t> key = keyrings.JoinSessionKeyring(SessionKeyringName(container_id));
  // The keyring is a best-effort isolation (file credentials matter more):
  // like runc, go on when the kernel has no keyrings at all.
  if (key.status().code() == absl::StatusCode::kUnimplemented) return absl::OkStatus();
  RETURN_IF_ERROR(key.status());
  ASSIGN_OR_RETURN(const std::string description, keyrings.Describe(*key));
  ASSIGN_OR_RETURN(const uint32_t permissions, ParseKeyPermissions(description));
  const uint32_t search = config::HasNamespace(spec, "user") ? kOthersSearch : kOwnerSearch;
  return keyrings.SetPermissions(*key, permissions | search);
}

}  // namespace hull::system
