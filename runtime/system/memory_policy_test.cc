#include "runtime/system/memory_policy.h"

#include <linux/mempolicy.h>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::system {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Return;
using ::testing::StrictMock;

class MockMemoryPolicyControl : public MemoryPolicyControl {
 public:
  MOCK_METHOD(absl::Status, Set, (const MemoryPolicyArguments& arguments), (override));
};

config::MemoryPolicy Policy(const char* mode, const char* nodes) {
  config::MemoryPolicy policy;
  policy.set_mode(mode);
  policy.set_nodes(nodes);
  return policy;
}

TEST(MemoryPolicyArgumentsTest, ModeFlagsAndNodes) {
  config::MemoryPolicy policy = Policy("MPOL_INTERLEAVE", "0-2,65");
  policy.add_flags("MPOL_F_STATIC_NODES");
  EXPECT_THAT(MemoryPolicyArgumentsOf(policy),
              IsOkAndHolds(MemoryPolicyArguments{.mode = MPOL_INTERLEAVE | MPOL_F_STATIC_NODES,
                                                 .nodes = {0b111, 0b10}}));
  EXPECT_THAT(MemoryPolicyArgumentsOf(Policy("MPOL_LOCAL", "")),
              IsOkAndHolds(MemoryPolicyArguments{.mode = MPOL_LOCAL}));
  EXPECT_THAT(MemoryPolicyArgumentsOf(Policy("MPOL_WEIGHTED_INTERLEAVE", "0")),
              IsOkAndHolds(MemoryPolicyArguments{.mode = 6, .nodes = {1}}));
}

TEST(MemoryPolicyArgumentsTest, RefusesWhatTheKernelCannotTake) {
  EXPECT_THAT(MemoryPolicyArgumentsOf(Policy("MPOL_RANDOM", "")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.memoryPolicy.mode: unknown mode \"MPOL_RANDOM\""));
  EXPECT_THAT(MemoryPolicyArgumentsOf(Policy("MPOL_BIND", "1024")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.memoryPolicy.nodes: 1024 is beyond the last one Linux supports "
                       "(1023)"));
  config::MemoryPolicy policy = Policy("MPOL_BIND", "0");
  policy.add_flags("MPOL_F_FAST");
  EXPECT_THAT(MemoryPolicyArgumentsOf(policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.memoryPolicy.flags: unknown flag \"MPOL_F_FAST\""));
}

TEST(ApplyMemoryPolicyTest, SetsThePolicy) {
  config::Spec spec;
  *spec.mutable_linux()->mutable_memory_policy() = Policy("MPOL_BIND", "0");
  StrictMock<MockMemoryPolicyControl> control;
  EXPECT_CALL(control, Set(MemoryPolicyArguments{.mode = MPOL_BIND, .nodes = {1}}))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyMemoryPolicy(spec, control), IsOk());
}

TEST(ApplyMemoryPolicyTest, NothingWithoutOne) {
  StrictMock<MockMemoryPolicyControl> control;
  EXPECT_THAT(ApplyMemoryPolicy(config::Spec(), control), IsOk());
}

TEST(ApplyMemoryPolicyTest, AnErrorNamesTheField) {
  config::Spec spec;
  *spec.mutable_linux()->mutable_memory_policy() = Policy("MPOL_BIND", "3");
  StrictMock<MockMemoryPolicyControl> control;
  EXPECT_CALL(control, Set(_))
      .WillOnce(Return(absl::InvalidArgumentError("set_mempolicy(mode 0x2): Invalid argument")));
  EXPECT_THAT(ApplyMemoryPolicy(spec, control),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.memoryPolicy MPOL_BIND nodes \"3\": set_mempolicy(mode 0x2): "
                       "Invalid argument"));
}

}  // namespace
}  // namespace hull::system
