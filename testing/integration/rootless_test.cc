// Rootless containers: hull run by an ordinary user (rootless_fixture.h)
// with the config of `hull spec --rootless`. Root inside is the user outside;
// multi-range maps through newuidmap/newgidmap; the state under
// $XDG_RUNTIME_DIR/hull; the user lists, kills and deletes its containers;
// and what the user cannot have fails before anything is made, leaving
// nothing behind.
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/json.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"
#include "testing/integration/rootless_fixture.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

TEST_F(RootlessTest, RootInsideIsTheUserOutside) {
  const std::string data = dir_ + "/data";
  ASSERT_EQ(mkdir(data.c_str(), 0755), 0);
  ASSERT_EQ(chown(data.c_str(), uid_, gid_), 0);
  config::Spec spec = RootlessSpec(Sh("id -u; id -g; touch /home/made; cat /proc/self/uid_map"));
  AddMount(spec, "/home", "none", data, {"rbind", "rw"});
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.out, MatchesRegex(absl::StrCat("0\n0\n *0 +", uid_, " +1\n")));
  EXPECT_EQ(Owner(data + "/made"), absl::StrCat(uid_, ":", gid_));
  ExpectNothingOf(id);
}

TEST_F(RootlessTest, MultiRangeMapsAreSeenInside) {
  config::Spec spec = RootlessSpec(Sh("cat /proc/self/uid_map /proc/self/gid_map"));
  MapSubordinateIds(spec, kSubFirst);
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), NewRootlessId()});
  ASSERT_EQ(result.exit_code, 0) << result;
  const std::string sub = absl::StrCat(" *1 +", kSubFirst, " +", kSubCount - 1, "\n");
  EXPECT_THAT(result.out, MatchesRegex(absl::StrCat(" *0 +", uid_, " +1\n", sub, " *0 +", gid_,
                                                    " +1\n", sub)));
}

TEST_F(RootlessTest, IdsWithoutASubuidEntryFailClearlyAndLeaveNothing) {
  config::Spec spec = RootlessSpec({"true"});
  MapSubordinateIds(spec, kSubFirst + kSubCount);  // not the user's
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat("linux.uidMappings[1]: host uids ",
                                                 kSubFirst + kSubCount, "-")));
  EXPECT_THAT(result.err, HasSubstr("/etc/subuid")) << result;
  ExpectNothingOf(id);
}

TEST_F(RootlessTest, AConfigWithoutAUserNamespaceIsRefusedBeforeAnythingIsMade) {
  config::Spec spec = ContainerSpec({"true"});
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("rootless container (hull runs without privilege): "
                                    "linux.namespaces has no user namespace"))
      << result;
  ExpectNothingOf(id);
}

TEST_F(RootlessTest, AMemoryLimitWithoutADelegatedCgroupIsRefusedBeforeAnythingIsMade) {
  config::Spec spec = RootlessSpec({"true"});
  SetMemoryLimit(spec, 64 << 20);
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("rootless container: linux.resources.memory needs a cgroup"))
      << result;
  EXPECT_THAT(result.err, HasSubstr("delegate a cgroup v2 subtree")) << result;
  ExpectNothingOf(id);
}

// A user's systemd is delegated no v1 hierarchy. On a v1 or hybrid host the
// refusal says so before any bus is asked (this user has none here, which
// the error would otherwise name).
TEST_F(RootlessTest, SystemdCgroupOnAHostWithV1HierarchiesIsRefusedByItsCgroups) {
  struct statfs fs;
  ASSERT_TRUE(statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type != kCgroup2Magic)
      << "this test needs a v1 or hybrid host; on v2, rootless_systemd_vm_test covers the flag";
  absl::StatusOr<Bundle*> bundle = UserBundle(RootlessSpec({"true"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult result = AsUser({"--systemd-cgroup", "run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("--systemd-cgroup for a rootless container needs a cgroup v2 "
                                    "host"))
      << result;
  EXPECT_THAT(result.err, Not(HasSubstr("bus"))) << result;
  ExpectNothingOf(id);
}

TEST_F(RootlessTest, TheUsersStateIsInItsRuntimeDirectoryAndItManagesItsContainers) {
  absl::StatusOr<Bundle*> bundle = UserBundle(RootlessSpec({"sleep", "100"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewRootlessId();
  HullResult created = AsUser({"create", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  // As runc's $XDG_RUNTIME_DIR/runc: the user's, 0700 and sticky.
  EXPECT_EQ(Owner(StateRoot()), absl::StrCat(uid_, ":", gid_));
  struct stat st;
  ASSERT_EQ(stat(StateRoot().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01700u);
  EXPECT_EQ(Owner(StateDir(id)), absl::StrCat(uid_, ":", gid_));

  ASSERT_EQ(AsUser({"start", id}).exit_code, 0);
  HullResult listed = AsUser({"list", "-q"});
  EXPECT_EQ(listed.out, id + "\n") << listed;
  HullResult state = AsUser({"state", id});
  EXPECT_THAT(state.out, HasSubstr("\"status\": \"running\"")) << state;
  HullResult killed = AsUser({"kill", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  ASSERT_TRUE(Eventually([&] {
    return absl::StrContains(AsUser({"state", id}).out, "\"status\": \"stopped\"");
  }));
  HullResult deleted = AsUser({"delete", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  ExpectNothingOf(id);
  EXPECT_EQ(AsUser({"list", "-q"}).out, "");
}

TEST_F(RootlessTest, SpecRootlessIsRuncsForTheSameUser) {
  std::string configs[2];
  for (int i = 0; i < 2; ++i) {
    const std::string bundle = absl::StrCat(dir_, "/spec", i);
    ASSERT_EQ(mkdir(bundle.c_str(), 0755), 0);
    ASSERT_EQ(chown(bundle.c_str(), uid_, gid_), 0);
    const std::vector<std::string> args = {"spec", "--rootless", "--bundle", bundle};
    // runc as the user too: its mappings are the user's ids.
    HullResult result = i == 0 ? AsUser(args) : RunAsUser("/usr/sbin/runc", args);
    ASSERT_EQ(result.exit_code, 0) << result;
    configs[i] = bundle + "/config.json";
  }
  absl::StatusOr<config::Spec> hull = config::LoadConfigFile(configs[0]);
  absl::StatusOr<config::Spec> runc = config::LoadConfigFile(configs[1]);
  ASSERT_TRUE(hull.ok()) << hull.status();
  ASSERT_TRUE(runc.ok()) << runc.status();
  EXPECT_EQ(hull->linux().uid_mappings(0).host_id(), uid_);
  EXPECT_EQ(hull->linux().gid_mappings(0).host_id(), gid_);
  // Hull's spec names its own hostname and the runtime-spec version it
  // implements, in both modes (config:runc_compat_test).
  hull->set_hostname(runc->hostname());
  hull->set_oci_version(runc->oci_version());
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*runc, *hull)) << differences;
}

}  // namespace
}  // namespace hull::testing
