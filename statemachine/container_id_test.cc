#include "statemachine/container_id.h"

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::statemachine {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ContainerIdTest, AcceptsRuncIds) {
  for (const std::string& id :
       std::initializer_list<std::string>{"web", "a", "a.b-c_d+e", "..a", "a..",
                                          "0123456789abcdef0123456789abcdef0123456789abcdef"
                                          "0123456789abcdef",
                                          std::string(kMaxContainerIdLength, 'x')}) {
    EXPECT_THAT(ValidateContainerId(id), IsOk()) << id;
  }
}

TEST(ContainerIdTest, RefusesBadIdsNamingThem) {
  for (const std::string& id : std::initializer_list<std::string>{".", "..", "a/b", "../etc", "a,b",
                                                                  "a b", "caf\xc3\xa9", "-\n"}) {
    EXPECT_THAT(ValidateContainerId(id),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid container id")))
        << id;
  }
  EXPECT_THAT(ValidateContainerId("a/b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"a/b\"")));
  EXPECT_THAT(ValidateContainerId("x\ny"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"x\\ny\"")));
}

TEST(ContainerIdTest, RefusesEmptyAndOverlong) {
  EXPECT_THAT(ValidateContainerId(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ValidateContainerId(std::string(kMaxContainerIdLength + 1, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("248 characters")));
}

}  // namespace
}  // namespace hull::statemachine
