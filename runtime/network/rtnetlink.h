// rtnetlink (NETLINK_ROUTE) requests about the network interfaces of one
// network namespace, the one its socket was opened in: the seam that moving
// linux.netDevices goes through (net_devices.h), mocked in its tests.
#ifndef HULL_RUNTIME_NETWORK_RTNETLINK_H_
#define HULL_RUNTIME_NETWORK_RTNETLINK_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

struct nlmsghdr;

namespace hull::network {

// An address of an interface as rtnetlink carries it (struct ifaddrmsg and
// its IFA_* attributes). The addresses are raw: 4 bytes for IPv4, 16 for
// IPv6; empty where the attribute is absent.
struct InterfaceAddress {
  uint8_t family = 0;  // AF_INET or AF_INET6
  uint8_t prefix_length = 0;
  std::string local;      // IFA_LOCAL
  std::string address;    // IFA_ADDRESS: the peer's on a point-to-point link
  std::string broadcast;  // IFA_BROADCAST

  bool operator==(const InterfaceAddress& other) const {
    return family == other.family && prefix_length == other.prefix_length &&
           local == other.local && address == other.address && broadcast == other.broadcast;
  }
};

// "10.0.0.1/24", "fd00::1/64": the address (IFA_LOCAL, else IFA_ADDRESS)
// and its prefix length, for messages.
std::string DescribeAddress(const InterfaceAddress& address);

class Rtnetlink {
 public:
  virtual ~Rtnetlink() = default;

  // The index of interface `name`; NotFound when there is none.
  virtual absl::StatusOr<int> InterfaceIndex(absl::string_view name) = 0;
  // The names of every interface.
  virtual absl::StatusOr<std::vector<std::string>> InterfaceNames() = 0;
  // The addresses of interface `index` that are permanent (IFA_F_PERMANENT:
  // no lifetime, not made by autoconfiguration) and of global scope
  // (RT_SCOPE_UNIVERSE): what moves with it (RFC 3549, section 2.3.3.2).
  virtual absl::StatusOr<std::vector<InterfaceAddress>> PermanentGlobalAddresses(int index) = 0;
  // Moves interface `index` into the network namespace `netns_fd` names,
  // named `name` there, in one request (so that its name here cannot
  // collide with one there). The kernel takes the interface down and drops
  // its addresses.
  virtual absl::Status MoveToNamespace(int index, int netns_fd, absl::string_view name) = 0;
  // Adds `address` to interface `index`, with global scope.
  virtual absl::Status AddAddress(int index, const InterfaceAddress& address) = 0;
  // Sets interface `index` up (IFF_UP).
  virtual absl::Status SetUp(int index) = 0;
};

class LinuxRtnetlink final : public Rtnetlink {
 public:
  // A socket in the caller's network namespace.
  static absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> Open();
  // A socket in the network namespace `netns_fd` names: the calling thread
  // enters it for the socket(2) alone (a socket keeps the namespace it was
  // made in) and returns to its own (or aborts the process, which cannot
  // happen short of a kernel fault, rather than go on there).
  static absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> OpenIn(int netns_fd);

  absl::StatusOr<int> InterfaceIndex(absl::string_view name) override;
  absl::StatusOr<std::vector<std::string>> InterfaceNames() override;
  absl::StatusOr<std::vector<InterfaceAddress>> PermanentGlobalAddresses(int index) override;
  absl::Status MoveToNamespace(int index, int netns_fd, absl::string_view name) override;
  absl::Status AddAddress(int index, const InterfaceAddress& address) override;
  absl::Status SetUp(int index) override;

 private:
  using ReplyHandler = std::function<absl::Status(const nlmsghdr&)>;

  explicit LinuxRtnetlink(UniqueFd socket) : socket_(std::move(socket)) {}

  // Sends `request` (a whole netlink message; its sequence number is set
  // here) and hands every reply but the final acknowledgment (or, for a
  // dump, NLMSG_DONE) to `on_reply`. `what` names the request in errors,
  // with the kernel's extended acknowledgment when it gives one.
  absl::Status Transact(std::string request, const ReplyHandler& on_reply,
                        absl::string_view what);

  UniqueFd socket_;
  uint32_t sequence_ = 0;
};

}  // namespace hull::network

#endif  // HULL_RUNTIME_NETWORK_RTNETLINK_H_
