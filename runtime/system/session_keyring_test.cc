#include "runtime/system/session_keyring.h"

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_system.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockKeyrings;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::StrictMock;

TEST(SessionKeyringNameTest, IsRuncs) { EXPECT_EQ(SessionKeyringName("web-1"), "_ses.web-1"); }

TEST(ParseKeyPermissionsTest, ReadsTheFourthField) {
  EXPECT_THAT(ParseKeyPermissions("keyring;0;0;3f010000;_ses.web-1"), IsOkAndHolds(0x3f010000u));
  // The description is the rest of the text, semicolons included.
  EXPECT_THAT(ParseKeyPermissions("keyring;1000;1000;3f1b0000;a;b"), IsOkAndHolds(0x3f1b0000u));
}

TEST(ParseKeyPermissionsTest, RefusesMalformedText) {
  for (const char* text : {"", "keyring;0;0;3f010000", "keyring;0;0;zz;x"}) {
    EXPECT_THAT(ParseKeyPermissions(text),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no permission field")))
        << text;
  }
}

TEST(JoinContainerSessionKeyringTest, AddsOwnerSearchWithoutUserNamespace) {
  StrictMock<MockKeyrings> keyrings;
  EXPECT_CALL(keyrings, JoinSessionKeyring(Eq("_ses.web-1"))).WillOnce(Return(42));
  EXPECT_CALL(keyrings, Describe(42)).WillOnce(Return("keyring;0;0;3f010000;_ses.web-1"));
  EXPECT_CALL(keyrings, SetPermissions(42, 0x3f090000u)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(JoinContainerSessionKeyring(config::Spec(), "web-1", keyrings), IsOk());
}

TEST(JoinContainerSessionKeyringTest, AddsOthersSearchWithUserNamespace) {
  config::Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("user");
  StrictMock<MockKeyrings> keyrings;
  EXPECT_CALL(keyrings, JoinSessionKeyring(Eq("_ses.web-1"))).WillOnce(Return(42));
  EXPECT_CALL(keyrings, Describe(42)).WillOnce(Return("keyring;0;0;3f010000;_ses.web-1"));
  EXPECT_CALL(keyrings, SetPermissions(42, 0x3f010008u)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(JoinContainerSessionKeyring(spec, "web-1", keyrings), IsOk());
}

TEST(JoinContainerSessionKeyringTest, ToleratesAKernelWithoutKeyrings) {
  StrictMock<MockKeyrings> keyrings;
  EXPECT_CALL(keyrings, JoinSessionKeyring(_))
      .WillOnce(Return(absl::UnimplementedError("join session keyring: Function not implemented")));
  EXPECT_THAT(JoinContainerSessionKeyring(config::Spec(), "web-1", keyrings), IsOk());
}

TEST(JoinContainerSessionKeyringTest, ReportsOtherFailures) {
  StrictMock<MockKeyrings> keyrings;
  EXPECT_CALL(keyrings, JoinSessionKeyring(_))
      .WillOnce(Return(absl::PermissionDeniedError(
          "join session keyring \"_ses.web-1\": Operation not permitted")));
  EXPECT_THAT(JoinContainerSessionKeyring(config::Spec(), "web-1", keyrings),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "join session keyring \"_ses.web-1\": Operation not permitted"));
}

TEST(JoinContainerSessionKeyringTest, RefusesToKeepAKeyringWithUnknownPermissions) {
  StrictMock<MockKeyrings> keyrings;
  EXPECT_CALL(keyrings, JoinSessionKeyring(_)).WillOnce(Return(42));
  EXPECT_CALL(keyrings, Describe(42)).WillOnce(Return("garbage"));
  EXPECT_THAT(JoinContainerSessionKeyring(config::Spec(), "web-1", keyrings),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no permission field")));
}

}  // namespace
}  // namespace hull::system
