#include "cgroups/no_cgroup_manager.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(NoCgroupManagerTest, MakesNothingAndHoldsNothing) {
  NoCgroupManager manager;
  EXPECT_THAT(manager.Create(), IsOk());
  EXPECT_THAT(manager.IsFrozen(), IsOkAndHolds(false));
  EXPECT_THAT(manager.Processes(), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(manager.Destroy(), IsOk());
  EXPECT_THAT(manager.Paths(), IsEmpty());
  absl::StatusOr<CloneTargets> targets = manager.OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  EXPECT_FALSE(targets->cgroup2_directory.valid());
  EXPECT_THAT(targets->v1_tasks_files, IsEmpty());
}

TEST(NoCgroupManagerTest, DeviceRulesAloneApplyLimitsDoNot) {
  NoCgroupManager manager;
  config::Resources resources;
  resources.add_devices()->set_access("rwm");
  EXPECT_THAT(manager.Apply(resources), IsOk());
  resources.mutable_pids()->set_limit(5);
  EXPECT_THAT(manager.Apply(resources),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has no cgroup")));
}

TEST(NoCgroupManagerTest, WhatNeedsACgroupSaysSo) {
  NoCgroupManager manager;
  EXPECT_THAT(manager.Freeze(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                         HasSubstr("pause (the cgroup freezer) needs one")));
  EXPECT_THAT(manager.GetStats(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                           HasSubstr("stats needs one")));
  EXPECT_THAT(manager.OpenCloneTargets({{"", "sub"}}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("exec --cgroup")));
}

}  // namespace
}  // namespace hull::cgroups
