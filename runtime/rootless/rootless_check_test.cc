#include "runtime/rootless/rootless_check.h"

#include <sys/resource.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::rootless {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

constexpr uid_t kUser = 1234;

Privilege User() {
  return Privilege{.privileged = false,
                   .writer = {.uid = kUser, .gid = kUser, .name = "alice"},
                   .oom_score_adj = 100,
                   .hard_limits = {{RLIMIT_NOFILE, 4096}}};
}

// The rootless spec maps root to the user alone.
config::Spec RootlessSpec() {
  config::Spec spec = config::DefaultSpec(/*rootless=*/true);
  for (auto* list : {spec.mutable_linux()->mutable_uid_mappings(),
                     spec.mutable_linux()->mutable_gid_mappings()}) {
    list->Mutable(0)->set_host_id(kUser);
  }
  return spec;
}

absl::StatusOr<std::string> NoSubordinateIds(const std::string& path) {
  return absl::NotFoundError(absl::StrCat(path, ": no such file"));
}

TEST(CheckUnprivilegedSpecTest, TheRootlessSpecPasses) {
  EXPECT_THAT(CheckUnprivilegedSpec(RootlessSpec(), User(), NoSubordinateIds), IsOk());
}

TEST(CheckUnprivilegedSpecTest, APrivilegedCreatorIsNotChecked) {
  Privilege root = User();
  root.privileged = true;
  root.writer.uid = 0;
  EXPECT_THAT(CheckUnprivilegedSpec(config::DefaultSpec(false), root, NoSubordinateIds), IsOk());
}

TEST(CheckUnprivilegedSpecTest, AUserNamespaceIsRequired) {
  EXPECT_THAT(CheckUnprivilegedSpec(config::DefaultSpec(/*rootless=*/false), User(),
                                    NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.namespaces has no user namespace")));
}

TEST(CheckUnprivilegedSpecTest, NetDevicesAreTheHostsToGive) {
  config::Spec spec = RootlessSpec();
  (*spec.mutable_linux()->mutable_net_devices())["eth1"];
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.netDevices: moving the host's network devices into the "
                                 "container needs CAP_NET_ADMIN on the host")));
}

TEST(CheckUnprivilegedSpecTest, IdsTheUserDoesNotOwnAreRefusedNamingTheFile) {
  config::Spec spec = RootlessSpec();
  config::IdMapping& more = *spec.mutable_linux()->add_uid_mappings();
  more.set_container_id(1);
  more.set_host_id(100000);
  more.set_size(65536);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("/etc/subuid")));
}

TEST(CheckUnprivilegedSpecTest, AdditionalGidsNeedSetgroups) {
  config::Spec spec = RootlessSpec();
  spec.mutable_process()->mutable_user()->add_additional_gids(0);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("process.user.additionalGids")));
}

TEST(CheckUnprivilegedSpecTest, OomScoreAdjMayOnlyBeRaised) {
  config::Spec spec = RootlessSpec();
  spec.mutable_process()->set_oom_score_adj(100);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds), IsOk());
  spec.mutable_process()->set_oom_score_adj(-500);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("process.oomScoreAdj -500 is below hull's own (100)")));
}

TEST(CheckUnprivilegedSpecTest, HardLimitsMayNotBeRaised) {
  config::Spec spec = RootlessSpec();
  spec.mutable_process()->mutable_rlimits(0)->set_hard(4096);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds), IsOk());
  spec.mutable_process()->mutable_rlimits(0)->set_hard(8192);
  EXPECT_THAT(CheckUnprivilegedSpec(spec, User(), NoSubordinateIds),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("RLIMIT_NOFILE: hard limit 8192 is above hull's own (4096)")));
}

}  // namespace
}  // namespace hull::rootless
