#include "runtime/system/loopback.h"

#include <net/if.h>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_system.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockInterfaceFlags;
using ::hull::testing::StatusIs;
using ::testing::Eq;
using ::testing::Return;
using ::testing::StrictMock;

config::Spec WithNetworkNamespace(const char* path) {
  config::Spec spec;
  config::Namespace* ns = spec.mutable_linux()->add_namespaces();
  ns->set_type("network");
  ns->set_path(path);
  return spec;
}

TEST(BringUpLoopbackTest, SetsUpInANewNetworkNamespace) {
  StrictMock<MockInterfaceFlags> interfaces;
  EXPECT_CALL(interfaces, Get(Eq("lo"))).WillOnce(Return(IFF_LOOPBACK));
  EXPECT_CALL(interfaces, Set(Eq("lo"), IFF_LOOPBACK | IFF_UP)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(BringUpLoopback(WithNetworkNamespace(""), interfaces), IsOk());
}

TEST(BringUpLoopbackTest, LeavesAnUpLoopbackAlone) {
  StrictMock<MockInterfaceFlags> interfaces;
  EXPECT_CALL(interfaces, Get(Eq("lo"))).WillOnce(Return(IFF_LOOPBACK | IFF_UP | IFF_RUNNING));
  EXPECT_THAT(BringUpLoopback(WithNetworkNamespace(""), interfaces), IsOk());
}

TEST(BringUpLoopbackTest, DoesNothingInAJoinedOrTheHostNamespace) {
  StrictMock<MockInterfaceFlags> interfaces;
  EXPECT_THAT(BringUpLoopback(WithNetworkNamespace("/proc/42/ns/net"), interfaces), IsOk());
  EXPECT_THAT(BringUpLoopback(config::Spec(), interfaces), IsOk());
}

TEST(BringUpLoopbackTest, ReportsAFailure) {
  StrictMock<MockInterfaceFlags> interfaces;
  EXPECT_CALL(interfaces, Get(Eq("lo")))
      .WillOnce(Return(absl::NotFoundError("get flags of interface \"lo\": No such device")));
  EXPECT_THAT(
      BringUpLoopback(WithNetworkNamespace(""), interfaces),
      StatusIs(absl::StatusCode::kNotFound, "get flags of interface \"lo\": No such device"));
}

TEST(LinuxInterfaceFlagsTest, RefusesBadNames) {
  LinuxInterfaceFlags interfaces;
  EXPECT_THAT(interfaces.Get(""),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid interface name \"\""));
  EXPECT_THAT(interfaces.Set("a-name-longer-than-16", IFF_UP),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid interface name \"a-name-longer-than-16\""));
}

}  // namespace
}  // namespace hull::system
