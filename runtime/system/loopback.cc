#include "runtime/system/loopback.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/namespaces.h"
#include "config/runtime_spec.pb.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::system {
namespace {

constexpr char kLoopback[] = "lo";

// An ifreq for `interface`.
absl::Status PrepareRequest(absl::string_view interface, struct ifreq& request) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) {
    return absl::InvalidArgumentError(absl::StrCat("invalid interface name \"", interface, "\""));
  }
  std::memset(&request, 0, sizeof(request));
  std::memcpy(request.ifr_name, interface.data(), interface.size());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> LinuxInterfaceFlags::Socket() {
  if (!socket_.valid()) {
    socket_.Reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!socket_.valid()) return ErrnoStatus("socket(AF_INET, SOCK_DGRAM)");
  }
  return socket_.get();
}

absl::StatusOr<int> LinuxInterfaceFlags::Get(absl::string_view interface) {
  struct ifreq request;
  RETURN_IF_ERROR(PrepareRequest(interface, request));
  ASSIGN_OR_RETURN(const int socket_fd, Socket());
  if (ioctl(socket_fd, SIOCGIFFLAGS, &request) != 0) {
    return ErrnoStatus("get flags of interface \"", interface, "\"");
  }
  return static_cast<unsigned short>(request.ifr_flags);
}

absl::Status LinuxInterfaceFlags::Set(absl::string_view interface, int flags) {
  struct ifreq request;
  RETURN_IF_ERROR(PrepareRequest(interface, request));
  ASSIGN_OR_RETURN(const int socket_fd, Socket());
  request.ifr_flags = static_cast<short>(flags);
  if (ioctl(socket_fd, SIOCSIFFLAGS, &request) != 0) {
    return ErrnoStatus("set flags of interface \"", interface, "\"");
  }
  return absl::OkStatus();
}

absl::Status BringUpLoopback(const config::Spec& spec, InterfaceFlags& interfaces) {
  if (!config::CreatesNamespace(spec, "network")) return absl::OkStatus();
  ASSIGN_OR_RETURN(const int flags, interfaces.Get(kLoopback));
  if ((flags & IFF_UP) != 0) return absl::OkStatus();
  return interfaces.Set(kLoopback, flags | IFF_UP);
}

}  // namespace hull::system
