#include "runtime/process/cpu_affinity.h"

#include <cstdint>
#include <vector>

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
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

class MockCpuAffinityControl : public CpuAffinityControl {
 public:
  MOCK_METHOD(absl::Status, Set, (const std::vector<uint64_t>& mask), (override));
};

config::Process WithAffinity(const char* initial, const char* final_cpus) {
  config::Process process;
  process.mutable_exec_cpu_affinity()->set_initial(initial);
  process.mutable_exec_cpu_affinity()->set_final_cpus(final_cpus);
  return process;
}

TEST(CpuAffinityTest, InitialThenFinal) {
  const config::Process process = WithAffinity("0-1,3", "64,66");
  StrictMock<MockCpuAffinityControl> control;
  EXPECT_CALL(control, Set(ElementsAre(0b1011))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyInitialCpuAffinity(process, control), IsOk());
  EXPECT_CALL(control, Set(ElementsAre(0, 0b101))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyFinalCpuAffinity(process, control), IsOk());
}

TEST(CpuAffinityTest, InitialAloneIsUndoneAfterTheCgroups) {
  const config::Process process = WithAffinity("1", "");
  StrictMock<MockCpuAffinityControl> control;
  EXPECT_CALL(control, Set(ElementsAre(0b10))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyInitialCpuAffinity(process, control), IsOk());
  EXPECT_CALL(control, Set(AllOf(SizeIs(8192 / 64), Each(Eq(~uint64_t{0})))))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyFinalCpuAffinity(process, control), IsOk());
}

TEST(CpuAffinityTest, FinalAlone) {
  const config::Process process = WithAffinity("", "2");
  StrictMock<MockCpuAffinityControl> control;
  EXPECT_THAT(ApplyInitialCpuAffinity(process, control), IsOk());
  EXPECT_CALL(control, Set(ElementsAre(0b100))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyFinalCpuAffinity(process, control), IsOk());
}

TEST(CpuAffinityTest, NothingWithoutExecCpuAffinity) {
  StrictMock<MockCpuAffinityControl> control;
  EXPECT_THAT(ApplyInitialCpuAffinity(config::Process(), control), IsOk());
  EXPECT_THAT(ApplyFinalCpuAffinity(config::Process(), control), IsOk());
}

TEST(CpuAffinityTest, ErrorsNameTheField) {
  StrictMock<MockCpuAffinityControl> control;
  EXPECT_THAT(ApplyInitialCpuAffinity(WithAffinity("8192", ""), control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "process.execCPUAffinity.initial: 8192 is beyond the last one Linux "
                       "supports (8191)"));
  EXPECT_CALL(control, Set(_))
      .WillOnce(Return(absl::InvalidArgumentError("sched_setaffinity: Invalid argument")));
  EXPECT_THAT(ApplyFinalCpuAffinity(WithAffinity("", "7"), control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "process.execCPUAffinity.final \"7\": sched_setaffinity: Invalid argument"));
}

}  // namespace
}  // namespace hull::process
