// linux.netDevices: network devices of hull's network namespace move into
// the container's, renamed as the config says, with their permanent global
// addresses, and up; the container sees them in its own namespace. The suite
// runs in a network namespace of its own (unshared before its first test),
// so the veth pairs it makes (with /bin/busybox, from busybox-static) touch
// no network of the host's.
#include <sched.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class NetDevicesTest : public HullTest {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << ErrnoStatus("unshare(CLONE_NEWNET)");
  }

  // `busybox ip ARGS...` in the suite's network namespace.
  ChildOutcome Ip(const std::vector<std::string>& args) {
    absl::StatusOr<ChildOutcome> outcome = RunInChild(ChildOptions{}, [&]() -> absl::Status {
      std::vector<char*> argv = {const_cast<char*>("busybox"), const_cast<char*>("ip")};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv("/bin/busybox", argv.data());
      return ErrnoStatus("exec /bin/busybox");
    });
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.value_or(ChildOutcome());
  }

  // A new veth pair in the suite's namespace: its end's name (the test's
  // own, "hvN"), and its peer's (busybox picks "vethN").
  struct VethPair {
    std::string name;
    std::string peer;
  };
  VethPair AddVethPair() {
    static int next = 0;
    VethPair pair{.name = absl::StrCat("hv", next++)};
    ChildOutcome added = Ip({"link", "add", pair.name, "type", "veth"});
    EXPECT_EQ(added.exit_code, 0) << added.output;
    // "5: veth0@hv0: <...": the peer names this end after its '@'.
    for (absl::string_view line : absl::StrSplit(Ip({"-o", "link", "show"}).output, '\n')) {
      const std::string suffix = absl::StrCat("@", pair.name, ":");
      const size_t at = line.find(suffix);
      const size_t start = line.find(": ");
      if (at != absl::string_view::npos && start != absl::string_view::npos && start < at) {
        pair.peer = std::string(line.substr(start + 2, at - start - 2));
      }
    }
    EXPECT_FALSE(pair.peer.empty()) << "no peer of " << pair.name;
    return pair;
  }

  bool HostHas(const std::string& device) {
    return Ip({"link", "show", device}).exit_code == 0;
  }

  // `hull run` of `spec`, which must fail and leave nothing: what it said.
  std::string RunRefused(const config::Spec& spec) {
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    if (!bundle.ok() || !mounts.ok()) {
      ADD_FAILURE() << bundle.status() << " " << mounts.status();
      return "";
    }
    const std::string id = NewId();
    HullResult result = Hull({"run", "--bundle", (*bundle)->path(), id});
    EXPECT_EQ(result.exit_code, 1) << result;
    ExpectNothingLeft(**bundle, id, *mounts);
    return result.err;
  }
};

TEST_F(NetDevicesTest, MovedRenamedWithItsGlobalAddressAndUp) {
  const VethPair pair = AddVethPair();
  ASSERT_EQ(Ip({"addr", "add", "10.77.0.1/24", "brd", "+", "dev", pair.name}).exit_code, 0);
  ASSERT_EQ(Ip({"addr", "add", "169.254.7.7/16", "scope", "link", "dev", pair.name}).exit_code,
            0);
  config::Spec spec = ContainerSpec(
      Sh("ls /sys/class/net; ip -o addr show dev ctr0; ip -o link show ctr0"));
  (*spec.mutable_linux()->mutable_net_devices())[pair.name].set_name("ctr0");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  // Its namespace has it beside its loopback.
  EXPECT_THAT(result.out, ::testing::StartsWith("ctr0\nlo\n")) << result;
  EXPECT_THAT(result.out, HasSubstr("inet 10.77.0.1/24 brd 10.77.0.255 scope global ctr0"))
      << result;
  // A link-local address stays behind (RFC 3549's global scope alone).
  EXPECT_THAT(result.out, Not(HasSubstr("169.254.7.7"))) << result;
  EXPECT_THAT(result.out, ContainsRegex("ctr0@if[0-9]+: <[-A-Z_,]*,UP[,>]")) << result;
  // It left the host's namespace, and died with the container's (a virtual
  // device is destroyed there, its peer with it; the kernel cleans a dead
  // namespace up in the background).
  EXPECT_FALSE(HostHas(pair.name));
  EXPECT_TRUE(Eventually([&] { return !HostHas(pair.peer); }));
}

TEST_F(NetDevicesTest, TemplatesTakeTheFirstFreeNumbersInTheOrderOfTheHostsNames) {
  const VethPair first = AddVethPair();
  const VethPair second = AddVethPair();
  ASSERT_EQ(Ip({"addr", "add", "10.78.0.1/24", "dev", first.name}).exit_code, 0);
  ASSERT_EQ(Ip({"addr", "add", "10.78.1.1/24", "dev", second.name}).exit_code, 0);
  config::Spec spec = ContainerSpec(Sh("ls /sys/class/net; ip -o addr show | grep 'inet '"));
  auto& devices = *spec.mutable_linux()->mutable_net_devices();
  devices[first.name].set_name("eth%d");
  devices[second.name].set_name("eth%d");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.out, ::testing::StartsWith("eth0\neth1\nlo\n")) << result;
  EXPECT_THAT(result.out, HasSubstr("inet 10.78.0.1/24 scope global eth0")) << result;
  EXPECT_THAT(result.out, HasSubstr("inet 10.78.1.1/24 scope global eth1")) << result;
}

TEST_F(NetDevicesTest, IntoANetworkNamespaceTheContainersUserNamespaceOwns) {
  const VethPair pair = AddVethPair();
  ASSERT_EQ(Ip({"addr", "add", "10.80.0.1/24", "dev", pair.name}).exit_code, 0);
  config::Spec spec = ContainerSpec(Sh("cat /proc/self/uid_map; ip -o addr show dev ctr0"));
  UseUserNamespace(spec, /*host_id=*/100000, /*size=*/65536);
  (*spec.mutable_linux()->mutable_net_devices())[pair.name].set_name("ctr0");
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = RunBundle(**bundle);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.out, ContainsRegex("0 +100000 +65536")) << result;
  EXPECT_THAT(result.out, HasSubstr("inet 10.80.0.1/24 scope global ctr0")) << result;
}

TEST_F(NetDevicesTest, IntoANetworkNamespaceJoinedByPath) {
  const VethPair pair = AddVethPair();
  const std::string holder = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), holder));
  absl::StatusOr<runtime::OciState> state = State(holder);
  ASSERT_TRUE(state.ok()) << state.status();
  config::Spec spec = ContainerSpec(Sh("ls /sys/class/net"));
  SetNamespace(spec, "network", absl::StrCat("/proc/", state->pid(), "/ns/net"));
  (*spec.mutable_linux()->mutable_net_devices())[pair.name].set_name("pod0");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "lo\npod0\n") << result;
  // It lives on in the holder's namespace.
  EXPECT_EQ(Hull({"exec", holder, "ls", "/sys/class/net"}).out, "lo\npod0\n");
  EXPECT_FALSE(HostHas(pair.name));
  EXPECT_TRUE(HostHas(pair.peer));
}

TEST_F(NetDevicesTest, ANameTheContainerHasIsRefusedBeforeAnythingMoves) {
  const VethPair pair = AddVethPair();
  config::Spec spec = ContainerSpec({"true"});
  (*spec.mutable_linux()->mutable_net_devices())[pair.name].set_name("lo");
  EXPECT_THAT(RunRefused(spec),
              HasSubstr(absl::StrCat("linux.netDevices[\"", pair.name,
                                     "\"]: the container's network namespace has a device "
                                     "\"lo\" already")));
  EXPECT_TRUE(HostHas(pair.name));
}

TEST_F(NetDevicesTest, AMissingDeviceIsRefusedByName) {
  config::Spec spec = ContainerSpec({"true"});
  (*spec.mutable_linux()->mutable_net_devices())["nosuch0"];
  EXPECT_THAT(RunRefused(spec), HasSubstr("linux.netDevices[\"nosuch0\"]: the host has no "
                                          "network device \"nosuch0\""));
}

}  // namespace
}  // namespace hull::testing
