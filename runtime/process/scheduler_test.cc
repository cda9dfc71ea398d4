#include "runtime/process/scheduler.h"

#include <linux/sched.h>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::StrictMock;

class MockSchedulerControl : public SchedulerControl {
 public:
  MOCK_METHOD(absl::Status, SetAttributes, (const SchedulingAttributes& attributes), (override));
};

TEST(ApplySchedulerTest, SetsEveryAttributeTheConfigNames) {
  config::Process process;
  config::Scheduler& scheduler = *process.mutable_scheduler();
  scheduler.set_policy("SCHED_DEADLINE");
  scheduler.add_flags("SCHED_FLAG_RESET_ON_FORK");
  scheduler.add_flags("SCHED_FLAG_DL_OVERRUN");
  scheduler.set_runtime(10'000'000);
  scheduler.set_deadline(20'000'000);
  scheduler.set_period(30'000'000);
  StrictMock<MockSchedulerControl> control;
  EXPECT_CALL(control, SetAttributes(SchedulingAttributes{
                           .policy = SCHED_DEADLINE,
                           .flags = SCHED_FLAG_RESET_ON_FORK | SCHED_FLAG_DL_OVERRUN,
                           .runtime = 10'000'000,
                           .deadline = 20'000'000,
                           .period = 30'000'000}))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyScheduler(process, control), IsOk());
}

TEST(ApplySchedulerTest, NiceAndPriority) {
  config::Process process;
  process.mutable_scheduler()->set_policy("SCHED_BATCH");
  process.mutable_scheduler()->set_nice(7);
  StrictMock<MockSchedulerControl> control;
  EXPECT_CALL(control, SetAttributes(SchedulingAttributes{.policy = SCHED_BATCH, .nice = 7}))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyScheduler(process, control), IsOk());

  process.mutable_scheduler()->set_policy("SCHED_FIFO");
  process.mutable_scheduler()->set_nice(0);
  process.mutable_scheduler()->set_priority(42);
  EXPECT_CALL(control, SetAttributes(SchedulingAttributes{.policy = SCHED_FIFO, .priority = 42}))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyScheduler(process, control), IsOk());
}

TEST(ApplySchedulerTest, NothingWithoutAScheduler) {
  StrictMock<MockSchedulerControl> control;
  EXPECT_THAT(ApplyScheduler(config::Process(), control), IsOk());
}

TEST(ApplySchedulerTest, RefusesAnUnknownPolicyBeforeAnyCall) {
  config::Process process;
  process.mutable_scheduler()->set_policy("SCHED_ISO");
  StrictMock<MockSchedulerControl> control;
  EXPECT_THAT(ApplyScheduler(process, control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("process.scheduler.policy: unknown policy \"SCHED_ISO\"")));
}

TEST(ApplySchedulerTest, ExplainsEperm) {
  config::Process process;
  process.mutable_scheduler()->set_policy("SCHED_RR");
  process.mutable_scheduler()->set_priority(5);
  StrictMock<MockSchedulerControl> control;
  EXPECT_CALL(control, SetAttributes(_))
      .WillOnce(Return(absl::PermissionDeniedError("sched_setattr: Operation not permitted")));
  EXPECT_THAT(ApplyScheduler(process, control),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("sched_setattr: Operation not permitted (process.scheduler: "
                                       "SCHED_RR, nice 0, priority 5; "),
                             HasSubstr("CAP_SYS_NICE"), HasSubstr("realtimeRuntime"))));
}

}  // namespace
}  // namespace hull::process
