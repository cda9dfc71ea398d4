// Rootless containers: hull run by an ordinary user (made for the suite with
// useradd and subordinate ids, removed after it), with the config of
// `hull spec --rootless`. Root inside is the user outside; multi-range maps
// through newuidmap/newgidmap; the state under $XDG_RUNTIME_DIR/hull; the
// user lists, kills and deletes its containers; and what the user cannot
// have fails before anything is made, leaving nothing behind.
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/default_spec.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

// Subordinate ids the suite's user gets (far from what useradd hands out,
// and from the other suites').
constexpr uint32_t kSubFirst = 540000000;
constexpr uint32_t kSubCount = 1000;

class RootlessTest : public HullTest {
 protected:
  static void SetUpTestSuite() {
    // The state root must come from the user's own $XDG_RUNTIME_DIR.
    unsetenv("XDG_RUNTIME_DIR");
    user_ = new std::string(absl::StrCat("hullrl", getpid()));
    const std::string range = absl::StrCat(kSubFirst, "-", kSubFirst + kSubCount - 1);
    const std::string add = absl::StrCat(
        "/usr/sbin/useradd --system --no-create-home --shell /usr/sbin/nologin ", *user_,
        " && /usr/sbin/usermod --add-subuids ", range, " --add-subgids ", range, " ", *user_);
    ASSERT_EQ(std::system(add.c_str()), 0) << add;
    struct passwd* entry = getpwnam(user_->c_str());
    ASSERT_NE(entry, nullptr);
    uid_ = entry->pw_uid;
    gid_ = entry->pw_gid;
  }

  static void TearDownTestSuite() {
    if (user_ == nullptr) return;
    const std::string remove = absl::StrCat("/usr/sbin/userdel ", *user_);
    EXPECT_EQ(std::system(remove.c_str()), 0) << remove;
    for (const char* file : {"/etc/subuid", "/etc/subgid", "/etc/passwd"}) {
      absl::StatusOr<std::string> text = ReadFile(file);
      ASSERT_TRUE(text.ok()) << text.status();
      EXPECT_THAT(*text, ::testing::Not(HasSubstr(*user_))) << file << " still names the user";
    }
    delete user_;
    user_ = nullptr;
  }

  void SetUp() override {
    HullTest::SetUp();
    ASSERT_NE(user_, nullptr);
    // Everything the user must reach lives in a directory every user can
    // traverse: the hull binary, the runtime directory, the bundles.
    absl::StatusOr<std::string> dir = MakeTempDir("hull-rootless", "/tmp");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    hull_ = dir_ + "/hull";
    absl::StatusOr<std::string> binary = ReadFile(HullBinary());
    ASSERT_TRUE(binary.ok()) << binary.status();
    ASSERT_TRUE(WriteFile(hull_, *binary).ok());
    ASSERT_EQ(chmod(hull_.c_str(), 0755), 0);
    runtime_dir_ = dir_ + "/xdg";
    ASSERT_EQ(mkdir(runtime_dir_.c_str(), 0700), 0);
    ASSERT_EQ(chown(runtime_dir_.c_str(), uid_, gid_), 0);
  }

  void TearDown() override {
    // Whatever a failed test left, deleted by root.
    for (const std::string& id : ids_) {
      if (access(StateDir(id).c_str(), F_OK) != 0) continue;
      absl::StatusOr<HullResult> deleted = RunHull({"--root", StateRoot(), "delete", "-f", id});
      EXPECT_TRUE(deleted.ok() && deleted->exit_code == 0) << "cleanup of " << id;
    }
    HullTest::TearDown();
    if (!dir_.empty()) RemoveTree(dir_);
  }

  std::string StateRoot() const { return runtime_dir_ + "/hull"; }
  std::string StateDir(const std::string& id) const { return StateRoot() + "/" + id; }

  std::string NewRootlessId() {
    ids_.push_back(NewId());
    return ids_.back();
  }

  // `hull ARGS...` run by the user (its copy of hull), with its
  // $XDG_RUNTIME_DIR and no --root.
  HullResult AsUser(const std::vector<std::string>& args) {
    absl::StatusOr<HullResult> result =
        RunHull(args, {.environment = {absl::StrCat("XDG_RUNTIME_DIR=", runtime_dir_)},
                       .as_user = std::make_pair(uid_, gid_),
                       .binary = hull_});
    if (!result.ok()) {
      ADD_FAILURE() << result.status();
      return HullResult{};
    }
    return *result;
  }

  // `hull spec --rootless`'s config, as the user would have written it, with
  // `args` and no terminal.
  config::Spec RootlessSpec(const std::vector<std::string>& args) const {
    config::Spec spec = config::DefaultSpec(/*rootless=*/true);
    spec.mutable_linux()->mutable_uid_mappings(0)->set_host_id(uid_);
    spec.mutable_linux()->mutable_gid_mappings(0)->set_host_id(gid_);
    spec.mutable_process()->set_terminal(false);
    spec.mutable_process()->clear_args();
    for (const std::string& arg : args) spec.mutable_process()->add_args(arg);
    return spec;
  }

  // A bundle for `spec` that the user owns, as its own would be (the rootfs
  // stays root's, readable by all).
  absl::StatusOr<Bundle*> UserBundle(const config::Spec& spec) {
    ASSIGN_OR_RETURN(Bundle * bundle, MakeBundleReachableByAnyUser(spec));
    for (const std::string& path : {bundle->path(), bundle->config_path()}) {
      if (chown(path.c_str(), uid_, gid_) != 0) return ErrnoStatus("chown ", path);
    }
    if (chmod(bundle->rootfs().c_str(), 0755) != 0) return ErrnoStatus("chmod ", bundle->rootfs());
    return bundle;
  }

  // Subordinate ids mapped from container id 1 (`first`: where the host
  // range starts).
  static void MapSubordinateIds(config::Spec& spec, uint32_t first) {
    for (auto* list : {spec.mutable_linux()->mutable_uid_mappings(),
                       spec.mutable_linux()->mutable_gid_mappings()}) {
      config::IdMapping& sub = *list->Add();
      sub.set_container_id(1);
      sub.set_host_id(first);
      sub.set_size(kSubCount - 1);
    }
  }

  // That nothing of `id` is left: no state, no process, no cgroup.
  void ExpectNothingOf(const std::string& id) {
    EXPECT_NE(access(StateDir(id).c_str(), F_OK), 0) << StateDir(id) << " is left";
    ReapExitedContainers();
    EXPECT_THAT(LeftoverProcesses({dir_}, StateRoot()), IsEmpty());
    EXPECT_THAT(ExistingCgroups("/hull/" + id), IsEmpty());
  }

  static std::string* user_;
  static uid_t uid_;
  static gid_t gid_;
  std::string dir_;
  std::string hull_;
  std::string runtime_dir_;
  std::vector<std::string> ids_;

};

std::string* RootlessTest::user_ = nullptr;
uid_t RootlessTest::uid_ = 0;
gid_t RootlessTest::gid_ = 0;

// "uid:gid" of `path` on the host.
std::string Owner(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return absl::StrCat("stat failed: ", path);
  return absl::StrCat(st.st_uid, ":", st.st_gid);
}

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

}  // namespace
}  // namespace hull::testing
