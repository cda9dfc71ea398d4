// Needs root: LinuxRtnetlink against the kernel, in network namespaces the
// test makes (unshared by its own thread), so that the veth pair it makes
// touches no network of the host's. /bin/busybox (busybox-static) makes the
// pair and looks at the result from inside.
#include "runtime/network/rtnetlink.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/fd.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::network {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::RunInChild;
using ::hull::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

constexpr char kOwnNamespace[] = "/proc/thread-self/ns/net";

ino_t NamespaceInode(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_ino : 0;
}

class RtnetlinkRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    original_.Reset(open(kOwnNamespace, O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(original_.valid());
    // The "container's" namespace, held by its fd, then the "host's", which
    // the test's thread stays in.
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << ErrnoStatus("unshare(CLONE_NEWNET)");
    container_.Reset(open(kOwnNamespace, O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(container_.valid());
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << ErrnoStatus("unshare(CLONE_NEWNET)");
    // busybox names the peer veth0.
    ASSERT_EQ(Busybox({"ip", "link", "add", "hv0", "type", "veth"}).exit_code, 0);
  }

  // Back where the test began; the namespaces end with their last fd, and
  // the veth pair with them.
  void TearDown() override { ASSERT_EQ(setns(original_.get(), CLONE_NEWNET), 0); }

  // `busybox ARGS...` in `netns` (-1: the test's own), its output.
  ChildOutcome Busybox(const std::vector<std::string>& args, int netns = -1) {
    absl::StatusOr<ChildOutcome> outcome = RunInChild(ChildOptions{}, [&]() -> absl::Status {
      if (netns >= 0 && setns(netns, CLONE_NEWNET) != 0) return ErrnoStatus("setns");
      std::vector<char*> argv = {const_cast<char*>("busybox")};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv("/bin/busybox", argv.data());
      return ErrnoStatus("exec /bin/busybox");
    });
    EXPECT_THAT(outcome, IsOk());
    EXPECT_EQ(outcome.value_or(ChildOutcome()).exit_code, 0) << outcome.value_or(ChildOutcome()).output;
    return outcome.value_or(ChildOutcome());
  }

  UniqueFd original_;
  UniqueFd container_;
};

TEST_F(RtnetlinkRootTest, FindsAndListsInterfaces) {
  absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> host = LinuxRtnetlink::Open();
  ASSERT_THAT(host, IsOk());
  EXPECT_THAT((*host)->InterfaceIndex("lo"), IsOkAndHolds(1));
  absl::StatusOr<int> index = (*host)->InterfaceIndex("hv0");
  ASSERT_THAT(index, IsOk());
  EXPECT_GT(*index, 1);
  EXPECT_THAT((*host)->InterfaceIndex("nosuch0"),
              StatusIs(absl::StatusCode::kNotFound, "no network interface \"nosuch0\""));
  absl::StatusOr<std::vector<std::string>> names = (*host)->InterfaceNames();
  ASSERT_THAT(names, IsOk());
  EXPECT_THAT(*names, IsSupersetOf({"lo", "hv0", "veth0"}));
}

TEST_F(RtnetlinkRootTest, OnlyPermanentGlobalAddressesAreListed) {
  Busybox({"ip", "addr", "add", "10.77.0.1/24", "brd", "+", "dev", "hv0"});
  Busybox({"ip", "addr", "add", "169.254.7.7/16", "scope", "link", "dev", "hv0"});
  Busybox({"ip", "-6", "addr", "add", "fd00:77::1/64", "dev", "hv0"});
  Busybox({"ip", "addr", "add", "10.79.0.1/24", "dev", "veth0"});
  absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> host = LinuxRtnetlink::Open();
  ASSERT_THAT(host, IsOk());
  absl::StatusOr<int> index = (*host)->InterfaceIndex("hv0");
  ASSERT_THAT(index, IsOk());
  absl::StatusOr<std::vector<InterfaceAddress>> addresses =
      (*host)->PermanentGlobalAddresses(*index);
  ASSERT_THAT(addresses, IsOk());
  std::vector<std::string> described;
  for (const InterfaceAddress& address : *addresses) described.push_back(DescribeAddress(address));
  EXPECT_THAT(described, ::testing::UnorderedElementsAre("10.77.0.1/24", "fd00:77::1/64"));
  for (const InterfaceAddress& address : *addresses) {
    if (address.family == AF_INET) {
      EXPECT_EQ(address.broadcast, std::string("\x0a\x4d\x00\xff", 4));
    } else {
      EXPECT_EQ(address.family, AF_INET6);
      EXPECT_EQ(address.broadcast, "");
    }
  }
}

TEST_F(RtnetlinkRootTest, MovesRenamedThenTakesItsAddressesAndGoesUpThere) {
  Busybox({"ip", "addr", "add", "10.77.0.1/24", "brd", "+", "dev", "hv0"});
  Busybox({"ip", "-6", "addr", "add", "fd00:77::1/64", "dev", "hv0"});
  absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> host = LinuxRtnetlink::Open();
  ASSERT_THAT(host, IsOk());
  const ino_t own = NamespaceInode(kOwnNamespace);
  absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> container =
      LinuxRtnetlink::OpenIn(container_.get());
  ASSERT_THAT(container, IsOk());
  // The thread is back in its own namespace; the socket speaks for the other.
  EXPECT_EQ(NamespaceInode(kOwnNamespace), own);
  EXPECT_THAT((*container)->InterfaceNames(), IsOkAndHolds(ElementsAre("lo")));

  absl::StatusOr<int> index = (*host)->InterfaceIndex("hv0");
  ASSERT_THAT(index, IsOk());
  absl::StatusOr<std::vector<InterfaceAddress>> addresses =
      (*host)->PermanentGlobalAddresses(*index);
  ASSERT_THAT(addresses, IsOk());
  ASSERT_THAT((*host)->MoveToNamespace(*index, container_.get(), "ctr0"), IsOk());
  EXPECT_THAT((*host)->InterfaceIndex("hv0"), StatusIs(absl::StatusCode::kNotFound, "no network interface \"hv0\""));
  absl::StatusOr<int> moved = (*container)->InterfaceIndex("ctr0");
  ASSERT_THAT(moved, IsOk());
  // Moving dropped the address.
  EXPECT_THAT((*container)->PermanentGlobalAddresses(*moved),
              IsOkAndHolds(::testing::IsEmpty()));
  for (const InterfaceAddress& address : *addresses) {
    ASSERT_THAT((*container)->AddAddress(*moved, address), IsOk());
  }
  ASSERT_THAT((*container)->SetUp(*moved), IsOk());

  ChildOutcome seen = Busybox({"ip", "-o", "addr", "show", "dev", "ctr0"}, container_.get());
  EXPECT_THAT(seen.output, HasSubstr("inet 10.77.0.1/24 brd 10.77.0.255 scope global ctr0"));
  EXPECT_THAT(seen.output, HasSubstr("inet6 fd00:77::1/64 scope global"));
  seen = Busybox({"ip", "-o", "link", "show", "ctr0"}, container_.get());
  EXPECT_THAT(seen.output, ::testing::ContainsRegex("<[-A-Z_,]*,UP[,>]"));
}

TEST_F(RtnetlinkRootTest, RefusalsSayWhatWasAskedAndTheKernelsReason) {
  absl::StatusOr<std::unique_ptr<LinuxRtnetlink>> host = LinuxRtnetlink::Open();
  ASSERT_THAT(host, IsOk());
  // The loopback device stays in its namespace.
  absl::Status status = (*host)->MoveToNamespace(1, container_.get(), "lo2");
  EXPECT_THAT(status, Not(IsOk()));
  EXPECT_THAT(status.message(), HasSubstr("move network interface 1 into the namespace as \"lo2\""));
  InterfaceAddress address{.family = AF_INET, .prefix_length = 24};
  address.local = address.address = std::string("\x0a\x4d\x00\x01", 4);
  EXPECT_THAT((*host)->AddAddress(9999, address),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("add address 10.77.0.1/24 to network interface 9999")));
}

}  // namespace
}  // namespace hull::network
