#include "runtime/user/identity.h"

#include <csignal>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/user/exec_user.h"
#include "testing/mock_identity.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::user {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockIdentity;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

const ExecUser kUser{1000, 1000, {29, 44}, "/home/user"};

TEST(SwitchUserTest, ChangesGroupsThenGidThenUidKeepingCapabilities) {
  StrictMock<MockIdentity> identity;
  InSequence in_order;
  EXPECT_CALL(identity, ParentDeathSignal()).WillOnce(Return(SIGKILL));
  EXPECT_CALL(identity, GiveStdioTo(1000)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetgroupsAllowed()).WillOnce(Return(true));
  EXPECT_CALL(identity, SetGroups(ElementsAre(29, 44))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetKeepCapabilities(true)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetGid(1000)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetUid(1000)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetKeepCapabilities(false)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetParentDeathSignal(SIGKILL)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SwitchUser(kUser, identity), IsOk());
}

TEST(SwitchUserTest, SkipsSetgroupsWhereTheUserNamespaceDeniesIt) {
  StrictMock<MockIdentity> identity;
  EXPECT_CALL(identity, ParentDeathSignal()).WillOnce(Return(0));
  EXPECT_CALL(identity, GiveStdioTo(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetgroupsAllowed()).WillOnce(Return(false));
  EXPECT_CALL(identity, SetKeepCapabilities(_)).Times(2).WillRepeatedly(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetGid(1000)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetUid(1000)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SwitchUser(kUser, identity), IsOk());
}

TEST(SwitchUserTest, StopsAtTheFirstFailure) {
  StrictMock<MockIdentity> identity;
  EXPECT_CALL(identity, ParentDeathSignal()).WillOnce(Return(0));
  EXPECT_CALL(identity, GiveStdioTo(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetgroupsAllowed()).WillOnce(Return(true));
  EXPECT_CALL(identity, SetGroups(_)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetKeepCapabilities(true)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(identity, SetGid(1000))
      .WillOnce(Return(absl::InvalidArgumentError(
          "setresgid 1000: Invalid argument (gid 1000 is not mapped in the container's user "
          "namespace)")));
  EXPECT_THAT(SwitchUser(kUser, identity),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "setresgid 1000: Invalid argument (gid 1000 is not mapped in the "
                       "container's user namespace)"));
}

TEST(LinuxIdentityTest, SetgroupsAllowedReadsProcSelfSetgroups) {
  StrictMock<MockProcFiles> proc;
  LinuxIdentity identity(proc);
  EXPECT_CALL(proc, Read(Eq("self/setgroups")))
      .WillOnce(Return("allow\n"))
      .WillOnce(Return("deny\n"))
      .WillOnce(Return(absl::NotFoundError("open /proc/self/setgroups: No such file or directory")))
      .WillOnce(
          Return(absl::FailedPreconditionError("/proc is not on procfs (filesystem magic "
                                               "0x1021994): refusing to mount or write there")));
  EXPECT_THAT(identity.SetgroupsAllowed(), IsOkAndHolds(true));
  EXPECT_THAT(identity.SetgroupsAllowed(), IsOkAndHolds(false));
  EXPECT_THAT(identity.SetgroupsAllowed(), IsOkAndHolds(true));
  EXPECT_THAT(
      identity.SetgroupsAllowed(),
      StatusIs(
          absl::StatusCode::kFailedPrecondition,
          "/proc is not on procfs (filesystem magic 0x1021994): refusing to mount or write there"));
}

}  // namespace
}  // namespace hull::user
