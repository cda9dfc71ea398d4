#include "runtime/process/io_priority.h"

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::StrictMock;

class MockIoPriorityControl : public IoPriorityControl {
 public:
  MOCK_METHOD(absl::Status, Set, (int value), (override));
};

config::IoPriority Priority(const char* io_class, int level) {
  config::IoPriority priority;
  priority.set_class_(io_class);
  priority.set_priority(level);
  return priority;
}

TEST(IoPriorityValueTest, ClassAboveLevel) {
  // <linux/ioprio.h>: the class in the bits from 13.
  EXPECT_THAT(IoPriorityValue(Priority("IOPRIO_CLASS_RT", 0)), IsOkAndHolds(1 << 13));
  EXPECT_THAT(IoPriorityValue(Priority("IOPRIO_CLASS_BE", 7)), IsOkAndHolds((2 << 13) | 7));
  EXPECT_THAT(IoPriorityValue(Priority("IOPRIO_CLASS_IDLE", 3)), IsOkAndHolds((3 << 13) | 3));
}

TEST(IoPriorityValueTest, RefusesUnknownClassAndLevel) {
  EXPECT_THAT(IoPriorityValue(Priority("IOPRIO_CLASS_NONE", 0)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("process.ioPriority.class")));
  EXPECT_THAT(IoPriorityValue(Priority("IOPRIO_CLASS_BE", 8)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("process.ioPriority.priority: 8 is outside [0, 7]")));
}

TEST(ApplyIoPriorityTest, SetsTheValue) {
  config::Process process;
  *process.mutable_io_priority() = Priority("IOPRIO_CLASS_BE", 4);
  StrictMock<MockIoPriorityControl> control;
  EXPECT_CALL(control, Set((2 << 13) | 4)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyIoPriority(process, control), IsOk());
}

TEST(ApplyIoPriorityTest, NothingWithoutOne) {
  StrictMock<MockIoPriorityControl> control;
  EXPECT_THAT(ApplyIoPriority(config::Process(), control), IsOk());
}

TEST(ApplyIoPriorityTest, AnErrorNamesTheField) {
  config::Process process;
  *process.mutable_io_priority() = Priority("IOPRIO_CLASS_RT", 1);
  StrictMock<MockIoPriorityControl> control;
  EXPECT_CALL(control, Set(_))
      .WillOnce(Return(absl::PermissionDeniedError("ioprio_set(0x2001): Operation not permitted")));
  EXPECT_THAT(ApplyIoPriority(process, control),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "process.ioPriority IOPRIO_CLASS_RT level 1: ioprio_set(0x2001): "
                       "Operation not permitted"));
}

}  // namespace
}  // namespace hull::process
