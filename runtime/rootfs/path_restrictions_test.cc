#include "runtime/rootfs/path_restrictions.h"

#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_mounter.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockMounter;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

TEST(ApplyPathRestrictionsTest, ReadOnlyPathsThenMaskedPaths) {
  StrictMock<MockMounter> mounter;
  const config::Spec spec = config::DefaultSpec(false);
  InSequence in_order;
  for (const std::string& path : spec.linux().readonly_paths()) {
    EXPECT_CALL(mounter, MakeReadOnly(path)).WillOnce(Return(absl::OkStatus()));
  }
  for (const std::string& path : spec.linux().masked_paths()) {
    EXPECT_CALL(mounter, MaskPath(path)).WillOnce(Return(absl::OkStatus()));
  }
  EXPECT_THAT(ApplyPathRestrictions(spec, mounter), IsOk());
}

TEST(ApplyPathRestrictionsTest, PathsAreCleaned) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->add_readonly_paths("/proc//sys/");
  spec.mutable_linux()->add_masked_paths("/proc/./kcore");
  EXPECT_CALL(mounter, MakeReadOnly("/proc/sys")).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, MaskPath("/proc/kcore")).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(ApplyPathRestrictions(spec, mounter), IsOk());
}

TEST(ApplyPathRestrictionsTest, StopsAtTheFirstFailure) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->add_readonly_paths("/proc/sys");
  spec.mutable_linux()->add_masked_paths("/proc/kcore");
  EXPECT_CALL(mounter, MakeReadOnly("/proc/sys"))
      .WillOnce(Return(absl::FailedPreconditionError("not on procfs")));
  EXPECT_THAT(ApplyPathRestrictions(spec, mounter),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not on procfs"));
}

TEST(ApplyPathRestrictionsTest, RelativePathsAreRefusedBeforeAnyMount) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->add_readonly_paths("/proc/sys");
  spec.mutable_linux()->add_masked_paths("proc/kcore");
  EXPECT_THAT(ApplyPathRestrictions(spec, mounter),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.maskedPaths[0] \"proc/kcore\" is not an absolute path")));
}

}  // namespace
}  // namespace hull::rootfs
