#include "runtime/system/personality.h"

#include <sys/personality.h>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Return;
using ::testing::StrictMock;

class MockPersonalityControl : public PersonalityControl {
 public:
  MOCK_METHOD(absl::Status, Set, (unsigned long persona), (override));
};

TEST(ApplyPersonalityTest, SetsTheDomain) {
  config::Spec spec;
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX32");
  StrictMock<MockPersonalityControl> control;
  EXPECT_CALL(control, Set(PER_LINUX32)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyPersonality(spec, control), IsOk());

  spec.mutable_linux()->mutable_personality()->set_domain("LINUX");
  EXPECT_CALL(control, Set(PER_LINUX)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyPersonality(spec, control), IsOk());
}

TEST(ApplyPersonalityTest, NothingWithoutOne) {
  StrictMock<MockPersonalityControl> control;
  EXPECT_THAT(ApplyPersonality(config::Spec(), control), IsOk());
}

TEST(ApplyPersonalityTest, RefusesWhatItCannotSet) {
  config::Spec spec;
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX64");
  StrictMock<MockPersonalityControl> control;
  EXPECT_THAT(ApplyPersonality(spec, control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.personality.domain: unknown domain \"LINUX64\""));
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX");
  spec.mutable_linux()->mutable_personality()->add_flags("ADDR_NO_RANDOMIZE");
  EXPECT_THAT(ApplyPersonality(spec, control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.personality.flags: the spec defines none"));
}

TEST(ApplyPersonalityTest, AnErrorNamesTheField) {
  config::Spec spec;
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX32");
  StrictMock<MockPersonalityControl> control;
  EXPECT_CALL(control, Set(_))
      .WillOnce(Return(absl::InvalidArgumentError("personality(0x8): Invalid argument")));
  EXPECT_THAT(ApplyPersonality(spec, control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.personality LINUX32: personality(0x8): Invalid argument"));
}

}  // namespace
}  // namespace hull::system
