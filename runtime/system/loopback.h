// The loopback interface of a container that has its own network namespace:
// a new namespace starts with "lo" down.
#ifndef HULL_RUNTIME_SYSTEM_LOOPBACK_H_
#define HULL_RUNTIME_SYSTEM_LOOPBACK_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"

namespace hull::system {

// The IFF_* flags of a network interface (SIOCGIFFLAGS / SIOCSIFFLAGS) in
// the caller's network namespace.
class InterfaceFlags {
 public:
  virtual ~InterfaceFlags() = default;
  virtual absl::StatusOr<int> Get(absl::string_view interface) = 0;
  virtual absl::Status Set(absl::string_view interface, int flags) = 0;
};

// One socket, opened at the first call, carries every request.
class LinuxInterfaceFlags final : public InterfaceFlags {
 public:
  absl::StatusOr<int> Get(absl::string_view interface) override;
  absl::Status Set(absl::string_view interface, int flags) override;

 private:
  absl::StatusOr<int> Socket();

  UniqueFd socket_;
};

// Brings "lo" up when `spec` creates a new network namespace (a "network"
// namespace without a path); does nothing when the container shares or
// joins one.
absl::Status BringUpLoopback(const config::Spec& spec, InterfaceFlags& interfaces);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_LOOPBACK_H_
