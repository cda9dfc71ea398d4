#include "cgroups/systemd/unit_name.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

MATCHER_P2(UnitIs, slice, scope, "") { return arg.slice == slice && arg.scope == scope; }

TEST(ContainerUnitForTest, EmptyPathIsSystemSliceWithHullPrefix) {
  EXPECT_THAT(ContainerUnitFor("", "web"), IsOkAndHolds(UnitIs("system.slice", "hull-web.scope")));
}

TEST(ContainerUnitForTest, SlicePrefixName) {
  EXPECT_THAT(ContainerUnitFor("machine-libpod.slice:libpod:abc", "ignored"),
              IsOkAndHolds(UnitIs("machine-libpod.slice", "libpod-abc.scope")));
  EXPECT_THAT(ContainerUnitFor("system.slice:containerd:id1", "id1"),
              IsOkAndHolds(UnitIs("system.slice", "containerd-id1.scope")));
}

TEST(ContainerUnitForTest, EmptySliceAndPrefixTakeRuncsDefaults) {
  EXPECT_THAT(ContainerUnitFor(":hull:web", "web"),
              IsOkAndHolds(UnitIs("system.slice", "hull-web.scope")));
  EXPECT_THAT(ContainerUnitFor("user.slice::web", "web"),
              IsOkAndHolds(UnitIs("user.slice", "web.scope")));
}

TEST(ContainerUnitForTest, AUsersInstanceDefaultsToUserSlice) {
  EXPECT_THAT(ContainerUnitFor("", "web", kDefaultUserSlice),
              IsOkAndHolds(UnitIs("user.slice", "hull-web.scope")));
  EXPECT_THAT(ContainerUnitFor(":libpod:web", "web", kDefaultUserSlice),
              IsOkAndHolds(UnitIs("user.slice", "libpod-web.scope")));
}

TEST(ContainerUnitForTest, RefusesOtherForms) {
  EXPECT_THAT(ContainerUnitFor("/hull/web", "web"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("slice:prefix:name")));
  EXPECT_THAT(ContainerUnitFor("machine.slice:hull", "web"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("slice:prefix:name")));
  EXPECT_THAT(ContainerUnitFor("machine.slice:hull:", "web"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_THAT(ContainerUnitFor("machine:hull:web", "web"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid slice name")));
  EXPECT_THAT(ContainerUnitFor("machine.slice:hull:web.slice", "web"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scope")));
}

TEST(ExpandSliceTest, NestsAsSystemdNamesSlices) {
  EXPECT_THAT(ExpandSlice("system.slice"), IsOkAndHolds("/system.slice"));
  EXPECT_THAT(ExpandSlice("a-b.slice"), IsOkAndHolds("/a.slice/a-b.slice"));
  EXPECT_THAT(ExpandSlice("a-b-c.slice"), IsOkAndHolds("/a.slice/a-b.slice/a-b-c.slice"));
  EXPECT_THAT(ExpandSlice("-.slice"), IsOkAndHolds("/"));
}

TEST(ExpandSliceTest, RefusesWhatIsNotASliceName) {
  for (const char* slice :
       {"", ".slice", "system", "a/b.slice", "-a.slice", "a--b.slice", "a-.slice"}) {
    EXPECT_THAT(ExpandSlice(slice), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << slice;
  }
}

TEST(UnitCgroupTest, ScopeBelowItsSlice) {
  EXPECT_THAT(UnitCgroup({.slice = "machine-libpod.slice", .scope = "libpod-x.scope"}),
              IsOkAndHolds("/machine.slice/machine-libpod.slice/libpod-x.scope"));
  EXPECT_THAT(UnitCgroup({.slice = "-.slice", .scope = "hull-x.scope"}),
              IsOkAndHolds("/hull-x.scope"));
}

}  // namespace
}  // namespace hull::cgroups::systemd
