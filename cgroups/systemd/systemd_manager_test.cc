#include "cgroups/systemd/systemd_manager.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "cgroups/manager.h"
#include "cgroups/systemd/unit_properties.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_cgroup_manager.h"
#include "testing/mock_unit_client.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockManager;
using ::hull::testing::MockUnitClient;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Pair;
using ::testing::Return;
using ::testing::StrictMock;

constexpr char kScope[] = "hull-web.scope";
constexpr char kScopeCgroup[] = "/system.slice/hull-web.scope";
constexpr char kScopeDirectory[] = "/sys/fs/cgroup/system.slice/hull-web.scope";

MATCHER_P2(HasProperty, name, value, "") {
  for (const UnitProperty& property : arg) {
    if (property.name == name) return property.value == PropertyValue(value);
  }
  return false;
}

config::Resources MemoryAndPids() {
  config::Resources resources;
  resources.mutable_memory()->set_limit(64 << 20);
  resources.mutable_pids()->set_limit(32);
  return resources;
}

class SystemdManagerTest : public ::testing::Test {
 protected:
  // A manager of a new container (`started` false) or a restored one.
  std::unique_ptr<SystemdManager> NewManager(bool started, bool unified = true,
                                             std::vector<UnitProperty> annotated = {}) {
    auto files = std::make_unique<StrictMock<MockManager>>();
    files_ = files.get();
    auto client = std::make_unique<StrictMock<MockUnitClient>>();
    client_ = client.get();
    ON_CALL(*files_, Paths())
        .WillByDefault(Return(std::map<std::string, std::string>{{"", kScopeDirectory}}));
    ON_CALL(*files_, CreatedPaths()).WillByDefault(Return(std::map<std::string, std::string>{}));
    SystemdManagerOptions options{
        .unit = {.slice = "system.slice", .scope = kScope},
        .description = "hull container web",
        .unified = unified,
        .started = started,
        .annotated_properties = std::move(annotated),
        .connect = [this, held = std::make_shared<std::unique_ptr<UnitClient>>(
                              std::move(client))]() -> absl::StatusOr<std::unique_ptr<UnitClient>> {
          ++connections_;
          if (*held == nullptr) return absl::InternalError("connected twice");
          return std::move(*held);
        },
        .proc_devices = [] { return std::string("Character devices:\n136 pts\n"); }};
    return std::make_unique<SystemdManager>(std::move(options), std::move(files));
  }

  StrictMock<MockManager>* files_ = nullptr;
  StrictMock<MockUnitClient>* client_ = nullptr;
  int connections_ = 0;
};

TEST_F(SystemdManagerTest, ScopeStartsAroundTheFirstProcessWithTheKeptResources) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/false);
  const config::Resources resources = MemoryAndPids();
  {
    InSequence sequence;
    EXPECT_CALL(
        *client_,
        StartTransientUnit(
            kScope, AllOf(HasProperty("Slice", std::string("system.slice")),
                          HasProperty("Delegate", true), HasProperty("DefaultDependencies", false),
                          HasProperty("Description", std::string("hull container web")),
                          HasProperty("PIDs", std::vector<uint32_t>{4242}),
                          HasProperty("MemoryMax", uint64_t{64 << 20}),
                          HasProperty("TasksMax", uint64_t{32}))))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(*client_, GetUnitCgroup(kScope)).WillOnce(Return(std::string(kScopeCgroup)));
    EXPECT_CALL(*files_, Create()).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(*files_, Apply(_)).WillOnce([&](const config::Resources& applied) {
      EXPECT_EQ(applied.memory().limit(), resources.memory().limit());
      return absl::OkStatus();
    });
  }
  ASSERT_THAT(manager->Create(), IsOk());
  ASSERT_THAT(manager->Apply(resources), IsOk());  // kept: no scope yet
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(false));
  EXPECT_THAT(manager->Processes(), IsOkAndHolds(ElementsAre()));
  absl::StatusOr<CloneTargets> targets = manager->OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  EXPECT_TRUE(targets->join_by_add_process);
  EXPECT_FALSE(targets->cgroup2_directory.valid());
  ASSERT_THAT(manager->AddProcess(4242), IsOk());
  EXPECT_EQ(connections_, 1);
  EXPECT_EQ(manager->SystemdUnit(), kScope);
}

TEST_F(SystemdManagerTest, AnnotatedPropertiesComeLastSoThatTheyWin) {
  std::unique_ptr<SystemdManager> manager =
      NewManager(/*started=*/false, /*unified=*/true,
                 {{"TasksMax", uint64_t{7}}, {"CollectMode", std::string("inactive-or-failed")}});
  InSequence sequence;
  EXPECT_CALL(*client_, StartTransientUnit(kScope, _))
      .WillOnce([](const std::string&, const std::vector<UnitProperty>& properties) {
        EXPECT_THAT(properties, Contains(UnitProperty{"TasksMax", uint64_t{32}}));
        EXPECT_GE(properties.size(), 2u);
        if (properties.size() >= 2) {
          EXPECT_EQ(properties[properties.size() - 2], (UnitProperty{"TasksMax", uint64_t{7}}));
          EXPECT_EQ(properties.back(),
                    (UnitProperty{"CollectMode", std::string("inactive-or-failed")}));
        }
        return absl::OkStatus();
      });
  EXPECT_CALL(*client_, GetUnitCgroup(kScope)).WillOnce(Return(std::string(kScopeCgroup)));
  EXPECT_CALL(*files_, Create()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Apply(_)).WillOnce(Return(absl::OkStatus()));
  ASSERT_THAT(manager->Apply(MemoryAndPids()), IsOk());
  EXPECT_THAT(manager->AddProcess(4242), IsOk());
}

TEST_F(SystemdManagerTest, OnV1TheProcessJoinsTheHierarchiesSystemdLeaves) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/false, /*unified=*/false);
  InSequence sequence;
  EXPECT_CALL(*client_, StartTransientUnit(kScope, _)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*client_, GetUnitCgroup(kScope)).WillOnce(Return(std::string(kScopeCgroup)));
  EXPECT_CALL(*files_, Create()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, AddProcess(4242)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Apply(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->AddProcess(4242), IsOk());
}

TEST_F(SystemdManagerTest, ScopeInAnotherCgroupIsStoppedAndRefused) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/false);
  EXPECT_CALL(*client_, StartTransientUnit(kScope, _)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*client_, GetUnitCgroup(kScope))
      .WillOnce(Return(std::string("/elsewhere/system.slice/hull-web.scope")));
  EXPECT_CALL(*client_, StopUnit(kScope)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Destroy()).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->AddProcess(4242),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("/elsewhere")));
}

TEST_F(SystemdManagerTest, FailedWriteStopsTheUnit) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/false);
  EXPECT_CALL(*client_, StartTransientUnit(kScope, _)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*client_, GetUnitCgroup(kScope)).WillOnce(Return(std::string(kScopeCgroup)));
  EXPECT_CALL(*files_, Create()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Apply(_)).WillOnce(Return(absl::InvalidArgumentError("memory.max")));
  EXPECT_CALL(*client_, StopUnit(kScope)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Destroy()).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->AddProcess(4242),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memory.max")));
  // Not started: nothing left to stop.
  EXPECT_CALL(*files_, Destroy()).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->Destroy(), IsOk());
}

TEST_F(SystemdManagerTest, FailedStartStopsTheUnit) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/false);
  EXPECT_CALL(*client_, StartTransientUnit(kScope, _))
      .WillOnce(Return(absl::InternalError("job ended \"failed\"")));
  EXPECT_CALL(*client_, StopUnit(kScope)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Destroy()).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->AddProcess(4242),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("failed")));
}

TEST_F(SystemdManagerTest, UnreachableSystemdFailsCreate) {
  auto files = std::make_unique<StrictMock<MockManager>>();
  SystemdManager manager({.unit = {.slice = "system.slice", .scope = kScope},
                          .connect = []() -> absl::StatusOr<std::unique_ptr<UnitClient>> {
                            return absl::FailedPreconditionError("--systemd-cgroup needs systemd");
                          }},
                         std::move(files));
  EXPECT_THAT(manager.Create(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("--systemd-cgroup")));
}

TEST_F(SystemdManagerTest, UpdateSetsThePropertiesThenTheFiles) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/true);
  config::Resources update;
  update.mutable_memory()->set_limit(128 << 20);
  InSequence sequence;
  EXPECT_CALL(*client_,
              SetUnitProperties(kScope, ElementsAre(Field(&UnitProperty::name, "MemoryMax"))))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Apply(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->Apply(update), IsOk());
}

TEST_F(SystemdManagerTest, NothingToSetNeedsNoSystemd) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/true);
  config::Resources update;
  update.mutable_memory()->set_swappiness(10);  // a file only
  EXPECT_CALL(*files_, Apply(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->Apply(update), IsOk());
  EXPECT_EQ(connections_, 0);
}

TEST_F(SystemdManagerTest, RestoredReadsAndFreezesThroughTheFilesAlone) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/true);
  EXPECT_CALL(*files_, Freeze()).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, IsFrozen()).WillOnce(Return(true));
  EXPECT_CALL(*files_, Signal(9)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Processes()).WillOnce(Return(std::vector<pid_t>{7}));
  EXPECT_THAT(manager->Freeze(), IsOk());
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(true));
  EXPECT_THAT(manager->Signal(9), IsOk());
  EXPECT_THAT(manager->Processes(), IsOkAndHolds(ElementsAre(7)));
  EXPECT_EQ(connections_, 0);
}

TEST_F(SystemdManagerTest, DestroyStopsTheUnitThenRemovesTheFiles) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/true);
  InSequence sequence;
  EXPECT_CALL(*client_, StopUnit(kScope)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(*files_, Destroy()).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(manager->Destroy(), IsOk());
}

TEST_F(SystemdManagerTest, TheScopesDirectoriesAreTheContainers) {
  std::unique_ptr<SystemdManager> manager = NewManager(/*started=*/true);
  EXPECT_CALL(*files_, Paths()).Times(2);
  EXPECT_CALL(*files_, CreatedPaths());
  EXPECT_THAT(manager->Paths(), ElementsAre(Pair("", kScopeDirectory)));
  EXPECT_THAT(manager->CreatedPaths(), Contains(Pair("", kScopeDirectory)));
}

}  // namespace
}  // namespace hull::cgroups::systemd
