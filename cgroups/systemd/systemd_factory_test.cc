#include "cgroups/systemd/systemd_factory.h"

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cgroups/manager.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_cgroup_manager.h"
#include "testing/mock_unit_client.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockManager;
using ::hull::testing::MockManagerFactory;
using ::hull::testing::MockUnitClient;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::ByMove;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::StrictMock;

using Paths = std::map<std::string, std::string>;

std::unique_ptr<Manager> V2Files() {
  auto files = std::make_unique<NiceMock<MockManager>>();
  ON_CALL(*files, Paths()).WillByDefault(Return(Paths{{"", "/sys/fs/cgroup/x"}}));
  return files;
}

UnitClientConnector NoSystemd() {
  return []() -> absl::StatusOr<std::unique_ptr<UnitClient>> {
    return absl::FailedPreconditionError("--systemd-cgroup needs systemd, which is not reachable");
  };
}

TEST(SystemdManagerFactoryTest, WithoutTheFlagNewIsCgroupfs) {
  StrictMock<MockManagerFactory> cgroupfs;
  EXPECT_CALL(cgroupfs, New("/hull/web", absl::string_view("web"), _))
      .WillOnce(Return(ByMove(V2Files())));
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/false, SystemdInstance::kSystem, NoSystemd());
  absl::StatusOr<std::unique_ptr<Manager>> manager = factory.New("/hull/web", "web", {});
  ASSERT_THAT(manager, IsOk());
  EXPECT_EQ((*manager)->SystemdUnit(), "");
}

TEST(SystemdManagerFactoryTest, WithTheFlagTheFilesAreTheScopes) {
  StrictMock<MockManagerFactory> cgroupfs;
  EXPECT_CALL(cgroupfs,
              New("/machine.slice/machine-hull.slice/hull-web.scope", absl::string_view("web"), _))
      .WillOnce(Return(ByMove(V2Files())));
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kSystem, NoSystemd());
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      factory.New("machine-hull.slice:hull:web", "web", {});
  ASSERT_THAT(manager, IsOk());
  EXPECT_EQ((*manager)->SystemdUnit(), "hull-web.scope");
  // No systemd here: create says what to do.
  EXPECT_THAT((*manager)->Create(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("--systemd-cgroup")));
}

TEST(SystemdManagerFactoryTest, DefaultUnitIsSystemSliceHullScope) {
  StrictMock<MockManagerFactory> cgroupfs;
  EXPECT_CALL(cgroupfs, New("/system.slice/hull-web.scope", absl::string_view("web"), _))
      .WillOnce(Return(ByMove(V2Files())));
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kSystem, NoSystemd());
  EXPECT_THAT(factory.New("", "web", {}), IsOk());
}

TEST(SystemdManagerFactoryTest, WithTheFlagAPathIsRefused) {
  StrictMock<MockManagerFactory> cgroupfs;
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kSystem, NoSystemd());
  EXPECT_THAT(factory.New("/hull/web", "web", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("slice:prefix:name")));
}

TEST(SystemdManagerFactoryTest, WithTheFlagAMalformedPropertyAnnotationIsRefusedByName) {
  StrictMock<MockManagerFactory> cgroupfs;
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kSystem, NoSystemd());
  Annotations annotations;
  annotations["org.systemd.property.TimeoutStopUSec"] = "uint64 -1";
  EXPECT_THAT(factory.New("", "web", annotations),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("annotation \"org.systemd.property.TimeoutStopUSec\"")));
}

// A connector to a mock of a user's systemd (user@1000.service), counting
// the connections made.
UnitClientConnector UserManager(int& connections) {
  return [&connections]() -> absl::StatusOr<std::unique_ptr<UnitClient>> {
    ++connections;
    auto client = std::make_unique<StrictMock<MockUnitClient>>();
    EXPECT_CALL(*client, GetManagerCgroup())
        .WillOnce(Return(std::string("/user.slice/user-1000.slice/user@1000.service")));
    return client;
  };
}

TEST(SystemdManagerFactoryTest, AUsersScopeIsBelowItsManagerInUserSlice) {
  StrictMock<MockManagerFactory> cgroupfs;
  // The first asks the host's layout, before the connection.
  EXPECT_CALL(cgroupfs, New("/user.slice/hull-web.scope", absl::string_view("web"), _))
      .WillOnce(Return(ByMove(V2Files())));
  EXPECT_CALL(cgroupfs, New("/user.slice/user-1000.slice/user@1000.service/user.slice/"
                            "hull-web.scope",
                            absl::string_view("web"), _))
      .WillOnce(Return(ByMove(V2Files())));
  int connections = 0;
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kUser,
                                UserManager(connections));
  absl::StatusOr<std::unique_ptr<Manager>> manager = factory.New("", "web", {});
  ASSERT_THAT(manager, IsOk());
  EXPECT_EQ((*manager)->SystemdUnit(), "hull-web.scope");
  // The manager's create takes the connection the factory made.
  EXPECT_THAT((*manager)->Create(), IsOk());
  EXPECT_EQ(connections, 1);
}

// Refused before any connection, so that the error names the host's cgroups
// where the user has no bus either.
TEST(SystemdManagerFactoryTest, AUsersScopeNeedsCgroupV2) {
  StrictMock<MockManagerFactory> cgroupfs;
  EXPECT_CALL(cgroupfs, New(_, absl::string_view("web"), _)).WillOnce([] {
    auto files = std::make_unique<NiceMock<MockManager>>();
    ON_CALL(*files, Paths())
        .WillByDefault(Return(Paths{{"memory", "/sys/fs/cgroup/memory/x"},
                                    {"pids", "/sys/fs/cgroup/pids/x"}}));
    return absl::StatusOr<std::unique_ptr<Manager>>(std::move(files));
  });
  int connections = 0;
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kUser,
                                UserManager(connections));
  EXPECT_THAT(factory.New("", "web", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cgroup v2")));
  EXPECT_EQ(connections, 0);
}

TEST(SystemdManagerFactoryTest, RestoresTheUnitTheStateNames) {
  StrictMock<MockManagerFactory> cgroupfs;
  const Paths paths = {{"", "/sys/fs/cgroup/system.slice/hull-web.scope"}};
  EXPECT_CALL(cgroupfs, Restore(paths, paths)).WillOnce(Return(ByMove(V2Files())));
  // Without the flag too: the state says what the container is.
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/false, SystemdInstance::kSystem, NoSystemd());
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      factory.RestoreSystemd("hull-web.scope", paths, paths);
  ASSERT_THAT(manager, IsOk());
  EXPECT_EQ((*manager)->SystemdUnit(), "hull-web.scope");
}

TEST(SystemdManagerFactoryTest, RestoreRefusesAUnitThatIsNotAScope) {
  StrictMock<MockManagerFactory> cgroupfs;
  SystemdManagerFactory factory(cgroupfs, /*use_systemd=*/true, SystemdInstance::kSystem, NoSystemd());
  EXPECT_THAT(factory.RestoreSystemd("dbus.service", {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a scope")));
}

}  // namespace
}  // namespace hull::cgroups::systemd
