#include "runtime/process/oom_score_adj.h"

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::Return;
using ::testing::StrictMock;

TEST(SetOomScoreAdjTest, WritesTheValue) {
  config::Process process;
  process.set_oom_score_adj(-17);
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(Eq("self/oom_score_adj"), Eq("-17"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetOomScoreAdj(process, proc), IsOk());
}

TEST(SetOomScoreAdjTest, WritesZeroWhenSetToZero) {
  config::Process process;
  process.set_oom_score_adj(0);
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(Eq("self/oom_score_adj"), Eq("0"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetOomScoreAdj(process, proc), IsOk());
}

TEST(SetOomScoreAdjTest, LeavesItAloneWhenUnset) {
  StrictMock<MockProcFiles> proc;
  EXPECT_THAT(SetOomScoreAdj(config::Process(), proc), IsOk());
}

TEST(SetOomScoreAdjTest, ExplainsARefusedLowering) {
  config::Process process;
  process.set_oom_score_adj(-500);
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(_, _))
      .WillOnce(
          Return(absl::PermissionDeniedError("write /proc/self/oom_score_adj: Permission denied")));
  EXPECT_THAT(SetOomScoreAdj(process, proc),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "write /proc/self/oom_score_adj: Permission denied (setting oom_score_adj "
                       "to -500 lowers it, which needs CAP_SYS_RESOURCE)"));
}

TEST(SetOomScoreAdjTest, PassesOtherErrorsOn) {
  config::Process process;
  process.set_oom_score_adj(100);
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(_, _))
      .WillOnce(
          Return(absl::FailedPreconditionError("/proc is not on procfs (filesystem magic "
                                               "0x1021994): refusing to mount or write there")));
  EXPECT_THAT(
      SetOomScoreAdj(process, proc),
      StatusIs(
          absl::StatusCode::kFailedPrecondition,
          "/proc is not on procfs (filesystem magic 0x1021994): refusing to mount or write there"));
}

}  // namespace
}  // namespace hull::process
