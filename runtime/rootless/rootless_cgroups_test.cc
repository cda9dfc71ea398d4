#include "runtime/rootless/rootless_cgroups.h"

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::rootless {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

const std::map<std::string, std::string> kPaths = {
    {"", "/sys/fs/cgroup/unified/hull/web"}, {"memory", "/sys/fs/cgroup/memory/hull/web"}};

CgroupAccess MayUse(std::set<std::string> allowed) {
  return [allowed](const std::string& directory) { return allowed.contains(directory); };
}

TEST(DecideRootlessCgroupsTest, UsesCgroupsTheUserMayMake) {
  config::Linux linux;
  linux.mutable_resources()->mutable_memory()->set_limit(1 << 20);
  EXPECT_THAT(DecideRootlessCgroups(kPaths, linux,
                                    MayUse({"/sys/fs/cgroup/unified/hull/web",
                                            "/sys/fs/cgroup/memory/hull/web"})),
              IsOkAndHolds(RootlessCgroups::kUse));
}

TEST(DecideRootlessCgroupsTest, NoCgroupWhenNeitherLimitsNorPathAreAskedFor) {
  config::Linux linux;
  // Device rules alone need no controller (runc's needAnyControllers).
  linux.mutable_resources()->add_devices()->set_access("rwm");
  EXPECT_THAT(DecideRootlessCgroups(kPaths, linux, MayUse({"/sys/fs/cgroup/unified/hull/web"})),
              IsOkAndHolds(RootlessCgroups::kNone));
}

TEST(DecideRootlessCgroupsTest, LimitsWithoutACgroupAreRefusedNamingThem) {
  config::Linux linux;
  linux.mutable_resources()->mutable_memory()->set_limit(1 << 20);
  linux.mutable_resources()->mutable_pids()->set_limit(10);
  EXPECT_THAT(
      DecideRootlessCgroups(kPaths, linux, MayUse({"/sys/fs/cgroup/unified/hull/web"})),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("linux.resources.memory, linux.resources.pids need a cgroup"),
                     HasSubstr("may not make or join /sys/fs/cgroup/memory/hull/web"),
                     HasSubstr("delegate a cgroup v2 subtree"))));
}

TEST(DecideRootlessCgroupsTest, ACgroupsPathTheUserMayNotUseIsRefused) {
  config::Linux linux;
  linux.set_cgroups_path("/hull/web");
  EXPECT_THAT(DecideRootlessCgroups(kPaths, linux, MayUse({})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.cgroupsPath \"/hull/web\" names a cgroup")));
}

}  // namespace
}  // namespace hull::rootless
