#include "runtime/network/rtnetlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::network {
namespace {

// Large enough for any one reply of a link or address dump.
constexpr size_t kReceiveBufferSize = 32 * 1024;

// A netlink request as it is built: the header, one fixed struct, then
// attributes, each padded to the alignment netlink wants.
class Request {
 public:
  Request(uint16_t type, uint16_t flags) {
    nlmsghdr header{};
    header.nlmsg_type = type;
    header.nlmsg_flags = NLM_F_REQUEST | flags;
    Append(&header, sizeof(header));
  }

  template <typename Fixed>
  Request& Add(const Fixed& fixed) {
    Append(&fixed, sizeof(fixed));
    return *this;
  }

  Request& AddAttribute(uint16_t type, absl::string_view payload) {
    rtattr attribute{};
    attribute.rta_len = RTA_LENGTH(payload.size());
    attribute.rta_type = type;
    bytes_.append(reinterpret_cast<const char*>(&attribute), sizeof(attribute));
    Append(payload.data(), payload.size());
    return *this;
  }

  Request& AddString(uint16_t type, absl::string_view text) {
    std::string terminated(text);
    terminated.push_back('\0');
    return AddAttribute(type, terminated);
  }

  Request& AddU32(uint16_t type, uint32_t value) {
    return AddAttribute(type, absl::string_view(reinterpret_cast<const char*>(&value),
                                                sizeof(value)));
  }

  // The whole message, its length in its header.
  std::string Finish() {
    const uint32_t length = bytes_.size();
    std::memcpy(bytes_.data() + offsetof(nlmsghdr, nlmsg_len), &length, sizeof(length));
    return std::move(bytes_);
  }

 private:
  void Append(const void* data, size_t size) {
    bytes_.append(static_cast<const char*>(data), size);
    bytes_.resize(NLMSG_ALIGN(bytes_.size()), '\0');
  }

  std::string bytes_;
};

// Calls `visit(type, payload)` for each attribute in [start, start + length).
template <typename Visit>
void ForEachAttribute(const void* start, size_t length, Visit visit) {
  int remaining = static_cast<int>(length);
  for (auto* attribute = static_cast<rtattr*>(const_cast<void*>(start));
       RTA_OK(attribute, remaining); attribute = RTA_NEXT(attribute, remaining)) {
    visit(attribute->rta_type, absl::string_view(static_cast<const char*>(RTA_DATA(attribute)),
                                                 RTA_PAYLOAD(attribute)));
  }
}

// The fixed struct after `message`'s header, or null when the message is
// too short to hold one.
template <typename Fixed>
const Fixed* FixedPart(const nlmsghdr& message) {
  if (message.nlmsg_len < NLMSG_LENGTH(sizeof(Fixed))) return nullptr;
  return static_cast<const Fixed*>(NLMSG_DATA(&message));
}

// The attributes after `message`'s fixed struct.
template <typename Fixed, typename Visit>
void ForEachAttributeAfter(const nlmsghdr& message, Visit visit) {
  const char* start = static_cast<const char*>(NLMSG_DATA(&message)) + NLMSG_ALIGN(sizeof(Fixed));
  ForEachAttribute(start, message.nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(Fixed))), visit);
}

// The kernel's own words on a refused request (NLMSGERR_ATTR_MSG of an
// extended acknowledgment), or "".
std::string ExtendedAcknowledgment(const nlmsghdr& message) {
  if ((message.nlmsg_flags & NLM_F_ACK_TLVS) == 0) return "";
  // With NETLINK_CAP_ACK the refused request is not echoed: its header is.
  const size_t offset = NLMSG_LENGTH(sizeof(nlmsgerr));
  if (message.nlmsg_len <= offset) return "";
  std::string text;
  ForEachAttribute(reinterpret_cast<const char*>(&message) + offset, message.nlmsg_len - offset,
                   [&text](uint16_t type, absl::string_view payload) {
                     if (type == NLMSGERR_ATTR_MSG) {
                       text = std::string(payload.substr(0, payload.find('\0')));
                     }
                   });
  return text;
}

absl::StatusOr<UniqueFd> OpenSocket() {
  UniqueFd socket_fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!socket_fd.valid()) return ErrnoStatus("socket(AF_NETLINK, NETLINK_ROUTE)");
  // The kernel's reason with its refusals, without the request echoed back.
  const int on = 1;
  (void)setsockopt(socket_fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
  (void)setsockopt(socket_fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on));
  return socket_fd;
}

}  // namespace

std::string DescribeAddress(const InterfaceAddress& address) {
  const std::string& bytes = address.local.empty() ? address.address : address.local;
  char text[INET6_ADDRSTRLEN] = "?";
  if ((address.family == AF_INET && bytes.size() == 4) ||
      (address.family == AF_INET6 && bytes.size() == 16)) {
    inet_ntop(address.family, bytes.data(), text, sizeof(text));
  }
  return absl::StrCat(text, "/", address.prefix_length);
}

absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> LinuxRtnetlink::Open() {
  ASSIGN_OR_RETURN(UniqueFd socket_fd, OpenSocket());
  return std::unique_ptr<LinuxRtnetlink>(new LinuxRtnetlink(std::move(socket_fd)));
}

absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> LinuxRtnetlink::OpenIn(int netns_fd) {
  UniqueFd own(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!own.valid()) return ErrnoStatus("open /proc/thread-self/ns/net");
  if (setns(netns_fd, CLONE_NEWNET) != 0) return ErrnoStatus("setns into the network namespace");
  absl::StatusOr<UniqueFd> socket_fd = OpenSocket();
  if (setns(own.get(), CLONE_NEWNET) != 0) {
    // The thread may not go on in the container's namespace, where whatever
    // it did next (an embedder's thread too) would reach the container's
    // network. Having entered it, a root thread cannot fail to come back.
    std::perror("hull: setns back into the thread's own network namespace");
    std::abort();
  }
  if (!socket_fd.ok()) return socket_fd.status();
  return std::unique_ptr<LinuxRtnetlink>(new LinuxRtnetlink(*std::move(socket_fd)));
}

absl::Status LinuxRtnetlink::Transact(std::string request, const ReplyHandler& on_reply,
                                      absl::string_view what) {
  const uint32_t sequence = ++sequence_;
  std::memcpy(request.data() + offsetof(nlmsghdr, nlmsg_seq), &sequence, sizeof(sequence));
  uint16_t flags;
  std::memcpy(&flags, request.data() + offsetof(nlmsghdr, nlmsg_flags), sizeof(flags));
  const bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(socket_.get(), request.data(), request.size(), 0,
             reinterpret_cast<const sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    return ErrnoStatus(what, ": send");
  }
  std::vector<char> buffer(kReceiveBufferSize);
  for (;;) {
    iovec vector{buffer.data(), buffer.size()};
    msghdr header{};
    header.msg_iov = &vector;
    header.msg_iovlen = 1;
    const ssize_t received = recvmsg(socket_.get(), &header, 0);
    if (received < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(what, ": receive");
    }
    if ((header.msg_flags & MSG_TRUNC) != 0) {
      return absl::InternalError(absl::StrCat(what, ": a reply is larger than ",
                                              kReceiveBufferSize, " bytes"));
    }
    int remaining = static_cast<int>(received);
    for (auto* message = reinterpret_cast<nlmsghdr*>(buffer.data()); NLMSG_OK(message, remaining);
         message = NLMSG_NEXT(message, remaining)) {
      if (message->nlmsg_seq != sequence) continue;
      if (message->nlmsg_type == NLMSG_DONE) {
        // A dump that failed part way says so here.
        const int* error = FixedPart<int>(*message);
        if (error != nullptr && *error < 0) return absl::ErrnoToStatus(-*error, what);
        return absl::OkStatus();
      }
      if (message->nlmsg_type == NLMSG_ERROR) {
        const nlmsgerr* error = FixedPart<nlmsgerr>(*message);
        if (error == nullptr) return absl::InternalError(absl::StrCat(what, ": a short reply"));
        if (error->error == 0) {
          if (dump) continue;
          return absl::OkStatus();
        }
        const std::string reason = ExtendedAcknowledgment(*message);
        return absl::ErrnoToStatus(
            -error->error, reason.empty() ? std::string(what) : absl::StrCat(what, " (", reason, ")"));
      }
      RETURN_IF_ERROR(on_reply(*message));
    }
  }
}

absl::StatusOr<int> LinuxRtnetlink::InterfaceIndex(absl::string_view name) {
  ifinfomsg info{};
  info.ifi_family = AF_UNSPEC;
  int index = 0;
  const absl::Status status = Transact(
      Request(RTM_GETLINK, NLM_F_ACK).Add(info).AddString(IFLA_IFNAME, name).Finish(),
      [&index](const nlmsghdr& reply) {
        const ifinfomsg* found = FixedPart<ifinfomsg>(reply);
        if (reply.nlmsg_type == RTM_NEWLINK && found != nullptr) index = found->ifi_index;
        return absl::OkStatus();
      },
      absl::StrCat("find network interface \"", name, "\""));
  if (absl::IsNotFound(status)) {  // ENODEV
    return absl::NotFoundError(absl::StrCat("no network interface \"", name, "\""));
  }
  RETURN_IF_ERROR(status);
  if (index <= 0) {
    return absl::InternalError(absl::StrCat("find network interface \"", name, "\": no index"));
  }
  return index;
}

absl::StatusOr<std::vector<std::string>> LinuxRtnetlink::InterfaceNames() {
  ifinfomsg info{};
  info.ifi_family = AF_UNSPEC;
  std::vector<std::string> names;
  RETURN_IF_ERROR(Transact(
      Request(RTM_GETLINK, NLM_F_DUMP).Add(info).Finish(),
      [&names](const nlmsghdr& reply) {
        if (reply.nlmsg_type != RTM_NEWLINK || FixedPart<ifinfomsg>(reply) == nullptr) {
          return absl::OkStatus();
        }
        ForEachAttributeAfter<ifinfomsg>(reply, [&names](uint16_t type, absl::string_view payload) {
          if (type == IFLA_IFNAME) names.emplace_back(payload.substr(0, payload.find('\0')));
        });
        return absl::OkStatus();
      },
      "list the network interfaces"));
  return names;
}

absl::StatusOr<std::vector<InterfaceAddress>> LinuxRtnetlink::PermanentGlobalAddresses(int index) {
  ifaddrmsg request{};
  request.ifa_family = AF_UNSPEC;
  std::vector<InterfaceAddress> addresses;
  RETURN_IF_ERROR(Transact(
      Request(RTM_GETADDR, NLM_F_DUMP).Add(request).Finish(),
      [&addresses, index](const nlmsghdr& reply) {
        const ifaddrmsg* found = FixedPart<ifaddrmsg>(reply);
        // A dump lists every interface's: the kernel filters by index only
        // for a strict socket.
        if (reply.nlmsg_type != RTM_NEWADDR || found == nullptr ||
            static_cast<int>(found->ifa_index) != index || found->ifa_scope != RT_SCOPE_UNIVERSE) {
          return absl::OkStatus();
        }
        uint32_t flags = found->ifa_flags;
        InterfaceAddress address{.family = found->ifa_family,
                                 .prefix_length = found->ifa_prefixlen};
        ForEachAttributeAfter<ifaddrmsg>(reply, [&](uint16_t type, absl::string_view payload) {
          switch (type) {
            case IFA_LOCAL:
              address.local = std::string(payload);
              break;
            case IFA_ADDRESS:
              address.address = std::string(payload);
              break;
            case IFA_BROADCAST:
              address.broadcast = std::string(payload);
              break;
            case IFA_FLAGS:  // the 32 flags of which ifa_flags holds 8
              if (payload.size() == sizeof(flags)) std::memcpy(&flags, payload.data(), sizeof(flags));
              break;
          }
        });
        if ((flags & IFA_F_PERMANENT) != 0) addresses.push_back(std::move(address));
        return absl::OkStatus();
      },
      absl::StrCat("list the addresses of network interface ", index)));
  return addresses;
}

absl::Status LinuxRtnetlink::MoveToNamespace(int index, int netns_fd, absl::string_view name) {
  ifinfomsg info{};
  info.ifi_family = AF_UNSPEC;
  info.ifi_index = index;
  return Transact(Request(RTM_NEWLINK, NLM_F_ACK)
                      .Add(info)
                      .AddU32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd))
                      .AddString(IFLA_IFNAME, name)
                      .Finish(),
                  [](const nlmsghdr&) { return absl::OkStatus(); },
                  absl::StrCat("move network interface ", index, " into the namespace as \"",
                               name, "\""));
}

absl::Status LinuxRtnetlink::AddAddress(int index, const InterfaceAddress& address) {
  ifaddrmsg fixed{};
  fixed.ifa_family = address.family;
  fixed.ifa_prefixlen = address.prefix_length;
  fixed.ifa_scope = RT_SCOPE_UNIVERSE;
  fixed.ifa_index = index;
  Request request(RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  request.Add(fixed);
  if (!address.local.empty()) request.AddAttribute(IFA_LOCAL, address.local);
  if (!address.address.empty()) request.AddAttribute(IFA_ADDRESS, address.address);
  if (!address.broadcast.empty()) request.AddAttribute(IFA_BROADCAST, address.broadcast);
  return Transact(request.Finish(), [](const nlmsghdr&) { return absl::OkStatus(); },
                  absl::StrCat("add address ", DescribeAddress(address), " to network interface ",
                               index));
}

absl::Status LinuxRtnetlink::SetUp(int index) {
  ifinfomsg info{};
  info.ifi_family = AF_UNSPEC;
  info.ifi_index = index;
  info.ifi_flags = IFF_UP;
  info.ifi_change = IFF_UP;
  return Transact(Request(RTM_NEWLINK, NLM_F_ACK).Add(info).Finish(),
                  [](const nlmsghdr&) { return absl::OkStatus(); },
                  absl::StrCat("set network interface ", index, " up"));
}

}  // namespace hull::network
