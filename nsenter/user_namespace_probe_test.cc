#include "nsenter/user_namespace_probe.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::Return;

TEST(IsInitialUidMapTest, OnlyTheIdentityOfEveryIdIsInitial) {
  EXPECT_TRUE(IsInitialUidMap("         0          0 4294967295\n"));
  EXPECT_FALSE(IsInitialUidMap("         0       1000          1\n"));
  EXPECT_FALSE(IsInitialUidMap("         0          0 4294967294\n"));
  EXPECT_FALSE(IsInitialUidMap("0 1000 1\n1 100000 65536\n"));
  EXPECT_FALSE(IsInitialUidMap(""));  // a new namespace before its map
}

TEST(RunningInUserNamespaceTest, ReadsSelfUidMap) {
  MockProcFiles proc;
  EXPECT_CALL(proc, Read(absl::string_view("self/uid_map")))
      .WillOnce(Return("0 0 4294967295\n"))
      .WillOnce(Return("0 1000 1\n"))
      .WillOnce(Return(absl::NotFoundError("no uid_map")))
      .WillOnce(Return(absl::PermissionDeniedError("denied")));
  EXPECT_THAT(RunningInUserNamespace(proc), IsOkAndHolds(false));
  EXPECT_THAT(RunningInUserNamespace(proc), IsOkAndHolds(true));
  EXPECT_THAT(RunningInUserNamespace(proc), IsOkAndHolds(false));
  EXPECT_THAT(RunningInUserNamespace(proc), StatusIs(absl::StatusCode::kPermissionDenied, "denied"));
}

}  // namespace
}  // namespace hull::nsenter
