#include "runtime/network_stats.h"

#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

constexpr char kNetDev[] =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:     140       2    0    0    0     0          0         0      140       2    0 "
    "   0    0     0       0          0\n"
    "  eth0: 1296      16    1    2    0     0          0         0      656       8    3    4 "
    "   0     0       0          0\n";

TEST(ParseNetDevTest, ReadsEveryInterfaceButLoopback) {
  absl::StatusOr<std::vector<cgroups::NetworkInterface>> interfaces = ParseNetDev(kNetDev);
  ASSERT_TRUE(interfaces.ok()) << interfaces.status();
  ASSERT_EQ(interfaces->size(), 1u);
  const cgroups::NetworkInterface& eth0 = interfaces->front();
  EXPECT_EQ(eth0.name(), "eth0");
  EXPECT_EQ(eth0.rx_bytes(), 1296u);
  EXPECT_EQ(eth0.rx_packets(), 16u);
  EXPECT_EQ(eth0.rx_errors(), 1u);
  EXPECT_EQ(eth0.rx_dropped(), 2u);
  EXPECT_EQ(eth0.tx_bytes(), 656u);
  EXPECT_EQ(eth0.tx_packets(), 8u);
  EXPECT_EQ(eth0.tx_errors(), 3u);
  EXPECT_EQ(eth0.tx_dropped(), 4u);
}

TEST(ParseNetDevTest, RefusesMalformedLines) {
  EXPECT_THAT(ParseNetDev("h1\nh2\n  eth0: 1 2 three\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed line")));
}

// The interfaces the kernel lists for the caller's network namespace, but
// loopback.
std::vector<std::string> KernelInterfaceNames() {
  std::vector<std::string> names;
  struct if_nameindex* interfaces = if_nameindex();
  EXPECT_NE(interfaces, nullptr) << strerror(errno);
  if (interfaces == nullptr) return names;
  for (const struct if_nameindex* interface = interfaces; interface->if_index != 0; ++interface) {
    if (std::string(interface->if_name) != "lo") names.push_back(interface->if_name);
  }
  if_freenameindex(interfaces);
  return names;
}

TEST(NetworkInterfacesOfTest, ReadsTheCallersNamespace) {
  absl::StatusOr<std::vector<cgroups::NetworkInterface>> interfaces =
      NetworkInterfacesOf(getpid());
  ASSERT_TRUE(interfaces.ok()) << interfaces.status();
  std::vector<std::string> names;
  for (const cgroups::NetworkInterface& interface : *interfaces) names.push_back(interface.name());
  EXPECT_THAT(names, UnorderedElementsAreArray(KernelInterfaceNames()));
}

}  // namespace
}  // namespace hull::runtime
