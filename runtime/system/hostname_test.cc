#include "runtime/system/hostname.h"

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_system.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockUtsNames;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::Return;
using ::testing::StrictMock;

TEST(SetHostAndDomainNameTest, SetsBoth) {
  config::Spec spec;
  spec.set_hostname("web");
  spec.set_domainname("example.org");
  StrictMock<MockUtsNames> uts;
  EXPECT_CALL(uts, SetHostname(Eq("web"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(uts, SetDomainname(Eq("example.org"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetHostAndDomainName(spec, uts), IsOk());
}

TEST(SetHostAndDomainNameTest, LeavesEmptyNamesAlone) {
  StrictMock<MockUtsNames> uts;
  EXPECT_THAT(SetHostAndDomainName(config::Spec(), uts), IsOk());
}

TEST(SetHostAndDomainNameTest, StopsAtTheFirstFailure) {
  config::Spec spec;
  spec.set_hostname("web");
  spec.set_domainname("example.org");
  StrictMock<MockUtsNames> uts;
  EXPECT_CALL(uts, SetHostname(_))
      .WillOnce(
          Return(absl::PermissionDeniedError("sethostname \"web\": Operation not permitted")));
  EXPECT_THAT(SetHostAndDomainName(spec, uts),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "sethostname \"web\": Operation not permitted"));
}

}  // namespace
}  // namespace hull::system
