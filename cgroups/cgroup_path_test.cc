#include "cgroups/cgroup_path.h"

#include <string>

#include "absl/status/status.h"
#include "cgroups/layout.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

const Hierarchy kMemory{.mount_point = "/sys/fs/cgroup/memory",
                        .own_cgroup = "/process_api/73cc",
                        .controllers = {"memory"}};
// Inside a container without a cgroup namespace: the mount shows the
// container's cgroup, and /proc/self/cgroup names it in full.
const Hierarchy kNested{.mount_point = "/sys/fs/cgroup",
                        .mount_root = "/docker/abc",
                        .own_cgroup = "/docker/abc/sub"};

TEST(ContainerCgroupDirectoryTest, EmptyIsTheDefault) {
  EXPECT_EQ(DefaultCgroupsPath("web"), "/hull/web");
  EXPECT_THAT(ContainerCgroupDirectory("", "web", kMemory),
              IsOkAndHolds("/sys/fs/cgroup/memory/hull/web"));
}

TEST(ContainerCgroupDirectoryTest, AbsoluteIsFromTheMountedRoot) {
  EXPECT_THAT(ContainerCgroupDirectory("/a//b/./c/", "web", kMemory),
              IsOkAndHolds("/sys/fs/cgroup/memory/a/b/c"));
  EXPECT_THAT(ContainerCgroupDirectory("/a/../b", "web", kNested),
              IsOkAndHolds("/sys/fs/cgroup/b"));
  EXPECT_THAT(ContainerCgroupDirectory("/a/b/../c/d/..//", "web", kNested),
              IsOkAndHolds("/sys/fs/cgroup/a/c"));
}

TEST(ContainerCgroupDirectoryTest, RelativeIsBelowTheLaunchersCgroup) {
  EXPECT_THAT(ContainerCgroupDirectory("a/b", "web", kMemory),
              IsOkAndHolds("/sys/fs/cgroup/memory/process_api/73cc/a/b"));
  EXPECT_THAT(ContainerCgroupDirectory("a", "web", kNested),
              IsOkAndHolds("/sys/fs/cgroup/sub/a"));
  EXPECT_THAT(ContainerCgroupDirectory("x/../y", "web",
                                       Hierarchy{.mount_point = "/cg", .own_cgroup = "/"}),
              IsOkAndHolds("/cg/y"));
}

// On a v2 host, as runc's fs2: the launcher's cgroup holds processes, so
// no controller could be enabled below it.
TEST(ContainerCgroupDirectoryTest, OnV2RelativeIsBesideTheLaunchersCgroup) {
  const Placement v2{.relative_to_parent = true};
  EXPECT_THAT(ContainerCgroupDirectory("a/b", "web",
                                       Hierarchy{.mount_point = "/sys/fs/cgroup",
                                                 .own_cgroup = "/user.slice/session-1.scope"},
                                       v2),
              IsOkAndHolds("/sys/fs/cgroup/user.slice/a/b"));
  EXPECT_THAT(ContainerCgroupDirectory("a", "web", kNested, v2), IsOkAndHolds("/sys/fs/cgroup/a"));
  // Never above the mounted root.
  EXPECT_THAT(ContainerCgroupDirectory("a", "web",
                                       Hierarchy{.mount_point = "/cg", .own_cgroup = "/"}, v2),
              IsOkAndHolds("/cg/a"));
  EXPECT_THAT(ContainerCgroupDirectory("a", "web",
                                       Hierarchy{.mount_point = "/sys/fs/cgroup",
                                                 .mount_root = "/docker/abc",
                                                 .own_cgroup = "/docker/abc"},
                                       v2),
              IsOkAndHolds("/sys/fs/cgroup/a"));
  EXPECT_THAT(ContainerCgroupDirectory(".", "web", kNested, v2),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the parent of the launcher's cgroup")));
}

// runc's rootless default: the container's id, relative.
TEST(ContainerCgroupDirectoryTest, RootlessDefaultIsTheIdBesideTheLauncher) {
  EXPECT_EQ(DefaultCgroupsPath("web", /*rootless=*/true), "web");
  EXPECT_THAT(ContainerCgroupDirectory("", "web", kMemory, Placement{.rootless = true}),
              IsOkAndHolds("/sys/fs/cgroup/memory/process_api/73cc/web"));
  EXPECT_THAT(
      ContainerCgroupDirectory("", "web",
                               Hierarchy{.mount_point = "/sys/fs/cgroup",
                                         .own_cgroup = "/hull-rootless/launcher"},
                               Placement{.relative_to_parent = true, .rootless = true}),
      IsOkAndHolds("/sys/fs/cgroup/hull-rootless/web"));
  EXPECT_THAT(ContainerCgroupDirectory("", "..", kMemory, Placement{.rootless = true}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("container id")));
}

TEST(ContainerCgroupDirectoryTest, RefusesClimbingOut) {
  EXPECT_THAT(ContainerCgroupDirectory("/../etc", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("climbs out")));
  EXPECT_THAT(ContainerCgroupDirectory("a/../../b", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"a/../../b\"")));
}

TEST(ContainerCgroupDirectoryTest, RefusesTheStartingCgroupItself) {
  EXPECT_THAT(ContainerCgroupDirectory("/", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cgroupsPath \"/\" names the hierarchy's root cgroup, not a cgroup of the "
                       "container's own"));
  EXPECT_THAT(ContainerCgroupDirectory("/a/..", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the hierarchy's root")));
  EXPECT_THAT(ContainerCgroupDirectory(".", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the launcher's own")));
}

TEST(ContainerCgroupDirectoryTest, RefusesIdsThatAreNotANameWhenUsed) {
  EXPECT_THAT(ContainerCgroupDirectory("", "..", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("container id")));
  EXPECT_THAT(ContainerCgroupDirectory("", "a/b", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("container id")));
}

TEST(ContainerCgroupDirectoryTest, SystemdFormNeedsTheSystemdDriver) {
  EXPECT_THAT(ContainerCgroupDirectory("system.slice:docker:abc", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("slice:prefix:name"), HasSubstr("--systemd-cgroup"))));
  // Two colons and no slash is the form; anything else is a path.
  EXPECT_THAT(ContainerCgroupDirectory("::", "web", kMemory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("slice:prefix:name")));
  for (const std::string path : {"/a:b:c", "/a:b:c:d"}) {
    EXPECT_THAT(ContainerCgroupDirectory(path, "web", kMemory),
                IsOkAndHolds("/sys/fs/cgroup/memory" + path));
  }
}

TEST(ContainerCgroupDirectoryTest, RelativeNeedsTheOwnCgroupInsideTheMount) {
  const Hierarchy outside{.mount_point = "/sys/fs/cgroup", .mount_root = "/docker/abc",
                          .own_cgroup = "/elsewhere"};
  EXPECT_THAT(ContainerCgroupDirectory("a", "web", outside),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("/elsewhere")));
  EXPECT_THAT(ContainerCgroupDirectory("/a", "web", outside), IsOkAndHolds("/sys/fs/cgroup/a"));
}

// A v2 layout detected without /proc/self/mountinfo and /proc/self/cgroup
// does not know the mounted root or the launcher's cgroup: enough for an
// absolute path, not for a relative one.
TEST(ContainerCgroupDirectoryTest, RelativeNeedsTheMountRootAndOwnCgroup) {
  const Hierarchy unknown_root{.mount_point = "/sys/fs/cgroup", .mount_root = "",
                               .own_cgroup = ""};
  const Hierarchy unknown_own{.mount_point = "/sys/fs/cgroup", .mount_root = "/",
                              .own_cgroup = ""};
  EXPECT_THAT(ContainerCgroupDirectory("a", "web", unknown_root),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("mountinfo")));
  EXPECT_THAT(ContainerCgroupDirectory("a", "web", unknown_own),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("/proc/self/cgroup")));
  for (const Hierarchy& unknown : {unknown_root, unknown_own}) {
    EXPECT_THAT(ContainerCgroupDirectory("/a", "web", unknown), IsOkAndHolds("/sys/fs/cgroup/a"));
    EXPECT_THAT(ContainerCgroupDirectory("", "web", unknown),
                IsOkAndHolds("/sys/fs/cgroup/hull/web"));
  }
}

}  // namespace
}  // namespace hull::cgroups
