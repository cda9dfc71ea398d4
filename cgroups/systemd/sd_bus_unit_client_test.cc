#include "cgroups/systemd/sd_bus_unit_client.h"

#include <stdlib.h>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(ConnectToSystemdTest, WithoutSystemdTheErrorNamesTheFlag) {
  EXPECT_THAT(
      ConnectToSystemd(SystemdInstance::kSystem, kJobTimeout, "/nonexistent/run/systemd/system"),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("--systemd-cgroup"), HasSubstr("systemd is not this host's init"),
                     HasSubstr("/nonexistent/run/systemd/system"))));
}

TEST(ConnectToSystemdTest, WithoutTheUsersBusTheErrorSaysWhereItLooked) {
  ASSERT_EQ(setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1), 0);
  EXPECT_THAT(ConnectToSystemd(SystemdInstance::kUser, kJobTimeout, "/"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("--systemd-cgroup"),
                             HasSubstr("cannot connect to the user's bus"))));
}

}  // namespace
}  // namespace hull::cgroups::systemd
