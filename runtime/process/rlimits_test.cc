#include "runtime/process/rlimits.h"

#include <sys/resource.h>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_resource_limits.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockResourceLimits;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

TEST(RlimitResourceTest, MapsEveryName) {
  const std::pair<const char*, int> kernel[] = {
      {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_CORE", RLIMIT_CORE},
      {"RLIMIT_CPU", RLIMIT_CPU},
      {"RLIMIT_DATA", RLIMIT_DATA},
      {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
      {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_NPROC", RLIMIT_NPROC},
      {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
      {"RLIMIT_RTTIME", RLIMIT_RTTIME},
      {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_STACK", RLIMIT_STACK},
  };
  static_assert(RLIMIT_NLIMITS == 16, "a new rlimit needs a name");
  for (const auto& [name, resource] : kernel) {
    EXPECT_THAT(RlimitResource(name), IsOkAndHolds(resource)) << name;
  }
}

TEST(RlimitResourceTest, RefusesUnknownNames) {
  for (const char* name : {"RLIMIT_FOO", "NOFILE", "rlimit_nofile", ""}) {
    EXPECT_THAT(RlimitResource(name), StatusIs(absl::StatusCode::kInvalidArgument,
                                               absl::StrCat("unknown rlimit type \"", name, "\"")));
  }
}

config::Rlimit Rlimit(const char* type, uint64_t soft, uint64_t hard) {
  config::Rlimit rlimit;
  rlimit.set_type(type);
  rlimit.set_soft(soft);
  rlimit.set_hard(hard);
  return rlimit;
}

TEST(ApplyRlimitsTest, SetsEachInOrder) {
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_NOFILE", 1024, 4096);
  *process.add_rlimits() = Rlimit("RLIMIT_CORE", 0, RLIM_INFINITY);
  StrictMock<MockResourceLimits> limits;
  InSequence in_order;
  EXPECT_CALL(limits, Set(RLIMIT_NOFILE, Limit{1024, 4096})).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(limits, Set(RLIMIT_CORE, Limit{0, RLIM_INFINITY})).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyRlimits(process, limits), IsOk());
}

TEST(ApplyRlimitsTest, ExplainsARefusedRaiseWithTheCurrentLimits) {
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_NOFILE", 1024, RLIM_INFINITY);
  StrictMock<MockResourceLimits> limits;
  EXPECT_CALL(limits, Set(RLIMIT_NOFILE, _))
      .WillOnce(Return(absl::PermissionDeniedError(
          "setrlimit RLIMIT_NOFILE to soft 1024, hard unlimited: Operation not permitted")));
  EXPECT_CALL(limits, Get(RLIMIT_NOFILE)).WillOnce(Return(Limit{1024, 524288}));
  EXPECT_THAT(ApplyRlimits(process, limits),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "setrlimit RLIMIT_NOFILE to soft 1024, hard unlimited: Operation not "
                       "permitted (current soft 1024, hard 524288; raising a hard limit needs "
                       "CAP_SYS_RESOURCE)"));
}

TEST(ApplyRlimitsTest, ExplainsASoftLimitAboveTheHardOne) {
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_CORE", 10, 5);
  StrictMock<MockResourceLimits> limits;
  EXPECT_CALL(limits, Set(RLIMIT_CORE, _))
      .WillOnce(Return(absl::InvalidArgumentError(
          "setrlimit RLIMIT_CORE to soft 10, hard 5: Invalid argument")));
  EXPECT_THAT(ApplyRlimits(process, limits),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "setrlimit RLIMIT_CORE to soft 10, hard 5: Invalid argument (the soft "
                       "limit is above the hard limit)"));
}

TEST(ApplyRlimitsTest, RefusesAnUnknownTypeBeforeSettingAnything) {
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_BOGUS", 1, 1);
  StrictMock<MockResourceLimits> limits;
  EXPECT_THAT(ApplyRlimits(process, limits),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown rlimit type \"RLIMIT_BOGUS\""));
}

TEST(LinuxResourceLimitsTest, ReadsTheProcessLimits) {
  struct rlimit expected;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &expected), 0);
  LinuxResourceLimits limits;
  EXPECT_THAT(limits.Get(RLIMIT_NOFILE), IsOkAndHolds(Limit{expected.rlim_cur, expected.rlim_max}));
}

}  // namespace
}  // namespace hull::process
