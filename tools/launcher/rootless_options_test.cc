#include "tools/launcher/rootless_options.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

const Invoker kHostRoot{.euid = 0, .xdg_runtime_dir = "/run/user/0", .user = "root"};
const Invoker kUser{.euid = 1000, .xdg_runtime_dir = "/run/user/1000", .user = "alice"};
const Invoker kRootInUserNamespace{
    .euid = 0, .in_user_namespace = true, .xdg_runtime_dir = "/run/user/1000", .user = "alice"};

TEST(RootlessCgroupsForTest, AutoIsAnUnprivilegedUserOrRootInAUserNamespace) {
  EXPECT_THAT(RootlessCgroupsFor("auto", kHostRoot), IsOkAndHolds(false));
  EXPECT_THAT(RootlessCgroupsFor("auto", kUser), IsOkAndHolds(true));
  EXPECT_THAT(RootlessCgroupsFor("auto", kRootInUserNamespace), IsOkAndHolds(true));
}

TEST(RootlessCgroupsForTest, TrueAndFalseAreTakenAsGiven) {
  EXPECT_THAT(RootlessCgroupsFor("true", kHostRoot), IsOkAndHolds(true));
  EXPECT_THAT(RootlessCgroupsFor("false", kUser), IsOkAndHolds(false));
  EXPECT_THAT(RootlessCgroupsFor("maybe", kUser),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid --rootless value \"maybe\"")));
}

TEST(DefaultStateRootTest, AnUnprivilegedUserKeepsStateInItsRuntimeDirectory) {
  EXPECT_EQ(DefaultStateRoot(kUser), "/run/user/1000/hull");
  EXPECT_TRUE(UsesUserRuntimeDirectory(kUser));
  Invoker no_xdg = kUser;
  no_xdg.xdg_runtime_dir.reset();
  EXPECT_EQ(DefaultStateRoot(no_xdg), "/run/hull");
  no_xdg.xdg_runtime_dir = "";
  EXPECT_EQ(DefaultStateRoot(no_xdg), "/run/hull");
}

TEST(DefaultStateRootTest, TheHostsRootKeepsRunHull) {
  EXPECT_EQ(DefaultStateRoot(kHostRoot), "/run/hull");
  EXPECT_FALSE(UsesUserRuntimeDirectory(kHostRoot));
}

TEST(DefaultStateRootTest, RootInAUserNamespaceUsesItUnlessUserIsRoot) {
  EXPECT_EQ(DefaultStateRoot(kRootInUserNamespace), "/run/user/1000/hull");
  Invoker named_root = kRootInUserNamespace;
  named_root.user = "root";
  EXPECT_EQ(DefaultStateRoot(named_root), "/run/hull");
  named_root.user.reset();  // runc: an unset $USER is not root
  EXPECT_EQ(DefaultStateRoot(named_root), "/run/user/1000/hull");
}

TEST(PrepareUserStateRootTest, MakesItPrivateAndSticky) {
  const std::string root = std::string(std::getenv("TEST_TMPDIR")) + "/hull";
  ASSERT_THAT(PrepareUserStateRoot(root), IsOk());
  ASSERT_THAT(PrepareUserStateRoot(root), IsOk());  // again: it exists
  struct stat st;
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01700u);
}

}  // namespace
}  // namespace hull::launcher
