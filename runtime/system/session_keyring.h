// The container's own session keyring, so that its processes do not share
// the launcher's (keyctl(2)).
#ifndef HULL_RUNTIME_SYSTEM_SESSION_KEYRING_H_
#define HULL_RUNTIME_SYSTEM_SESSION_KEYRING_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::system {

// The keyctl(2) operations Hull uses, on the calling process.
class Keyrings {
 public:
  virtual ~Keyrings() = default;
  // KEYCTL_JOIN_SESSION_KEYRING: joins the keyring called `name`, creating
  // it when there is none; returns its serial number. A kernel without
  // keyrings gives kUnimplemented (ENOSYS).
  virtual absl::StatusOr<int32_t> JoinSessionKeyring(absl::string_view name) = 0;
  // KEYCTL_DESCRIBE: "type;uid;gid;perm;description".
  virtual absl::StatusOr<std::string> Describe(int32_t key) = 0;
  // KEYCTL_SETPERM.
  virtual absl::Status SetPermissions(int32_t key, uint32_t permissions) = 0;
};

class LinuxKeyrings final : public Keyrings {
 public:
  absl::StatusOr<int32_t> JoinSessionKeyring(absl::string_view name) override;
  absl::StatusOr<std::string> Describe(int32_t key) override;
  absl::Status SetPermissions(int32_t key, uint32_t permissions) override;
};

// runc's name for a container's session keyring: "_ses.<container id>".
std::string SessionKeyringName(absl::string_view container_id);

// The permission mask (the hexadecimal 4th field) of a KEYCTL_DESCRIBE text.
absl::StatusOr<uint32_t> ParseKeyPermissions(absl::string_view description);

// Joins a new session keyring named after the container and, as runc does,
// adds search permission for its owner (KEY_USR_SEARCH), or for others
// (KEY_OTH_SEARCH) when the container has a user namespace, so that
// processes later joined into the container can use it. A kernel without
// keyrings is tolerated (runc does the same); any other failure is an error.
absl::Status JoinContainerSessionKeyring(const config::Spec& spec, absl::string_view container_id,
                                         Keyrings& keyrings);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_SESSION_KEYRING_H_
