// A rootless container in a cgroup v2 subtree delegated to its user: the
// subtree is chowned to the user (its directory, cgroup.procs,
// cgroup.subtree_control, cgroup.threads), as systemd delegates one, and the
// user's hull runs from a leaf of it. The container gets its cgroup there,
// with the memory limit it asks for; what is outside the subtree is refused.
// This host's cgroups are hybrid: the binary runs in the VM
// (//testing/integration:rootless_cgroups_v2_vm_test; the binary is manual).
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"
#include "testing/integration/rootless_fixture.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC
constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

class RootlessCgroupsV2Test : public RootlessTest {
 protected:
  void SetUp() override {
    RootlessTest::SetUp();
    if (HasFatalFailure()) return;
    // Loud, never a skip: on a v1 or hybrid host this suite proves nothing.
    struct statfs fs;
    ASSERT_TRUE(statfs(kCgroupRoot, &fs) == 0 && fs.f_type == kCgroup2Magic)
        << "this suite needs a cgroup v2 host (it runs in the VM: "
           "rootless_cgroups_v2_vm_test)";
    absl::StatusOr<std::string> own = ReadFile("/proc/self/cgroup");
    ASSERT_TRUE(own.ok()) << own.status();
    own_cgroup_ = std::string(absl::StripSuffix(absl::StripPrefix(*own, "0::"), "\n"));
    ASSERT_TRUE(WriteFile(absl::StrCat(kCgroupRoot, "/cgroup.subtree_control"), "+memory +pids")
                    .ok());
    delegated_ = absl::StrCat("/hull-rootless-", getpid());
    const std::string directory = kCgroupRoot + delegated_;
    ASSERT_EQ(mkdir(directory.c_str(), 0755), 0) << directory;
    made_ = true;
    for (const char* file : {"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads"}) {
      const std::string path = directory + file;
      ASSERT_EQ(chown(path.c_str(), uid_, gid_), 0) << path;
    }
    // The user's processes start in a leaf of the subtree (systemd's
    // user@.service does the same): moving a process between two cgroups
    // takes write access to their common ancestor's cgroup.procs.
    const std::string leaf = directory + "/launcher";
    ASSERT_EQ(mkdir(leaf.c_str(), 0755), 0) << leaf;
    ASSERT_TRUE(WriteFile(leaf + "/cgroup.procs", absl::StrCat(getpid())).ok());
  }

  void TearDown() override {
    RootlessTest::TearDown();
    if (!made_) return;
    EXPECT_TRUE(
        WriteFile(absl::StrCat(kCgroupRoot, own_cgroup_, "/cgroup.procs"), absl::StrCat(getpid()))
            .ok());
    const std::string directory = kCgroupRoot + delegated_;
    EXPECT_EQ(rmdir((directory + "/launcher").c_str()), 0);
    EXPECT_EQ(rmdir(directory.c_str()), 0) << directory << " is not empty";
  }

  std::string own_cgroup_;
  std::string delegated_;  // from the hierarchy's root
  bool made_ = false;
};

TEST_F(RootlessCgroupsV2Test, TheDelegatedSubtreeHoldsTheContainerWithItsLimits) {
  config::Spec spec = RootlessSpec({"sleep", "100"});
  const std::string id = NewRootlessId();
  spec.mutable_linux()->set_cgroups_path(absl::StrCat(delegated_, "/", id));
  spec.mutable_linux()->mutable_resources()->mutable_memory()->set_limit(32 << 20);
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(20);
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult created = AsUser({"create", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;

  const std::string cgroup = absl::StrCat(kCgroupRoot, delegated_, "/", id);
  EXPECT_EQ(Owner(cgroup), absl::StrCat(uid_, ":", gid_));
  absl::StatusOr<std::string> memory_max = ReadFile(cgroup + "/memory.max");
  ASSERT_TRUE(memory_max.ok()) << memory_max.status();
  EXPECT_EQ(*memory_max, absl::StrCat(32 << 20, "\n"));
  absl::StatusOr<std::string> pids_max = ReadFile(cgroup + "/pids.max");
  ASSERT_TRUE(pids_max.ok()) << pids_max.status();
  EXPECT_EQ(*pids_max, "20\n");
  // The init's host pid, as `hull state` prints it.
  HullResult state = AsUser({"state", id});
  ASSERT_EQ(state.exit_code, 0) << state;
  const size_t at = state.out.find("\"pid\": ");
  ASSERT_NE(at, std::string::npos) << state;
  const std::string pid = state.out.substr(at + 7, state.out.find_first_of(",\n", at) - at - 7);
  absl::StatusOr<std::string> procs = ReadFile(cgroup + "/cgroup.procs");
  ASSERT_TRUE(procs.ok()) << procs.status();
  EXPECT_EQ(*procs, pid + "\n");

  HullResult deleted = AsUser({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_NE(access(cgroup.c_str(), F_OK), 0) << cgroup << " is left";
  ExpectNothingOf(id);
}

// Without a cgroupsPath, runc's rootless default: the container's id beside
// the launcher's cgroup, here in the delegated subtree, with its limit.
TEST_F(RootlessCgroupsV2Test, WithoutACgroupsPathTheContainerIsBesideTheLauncher) {
  config::Spec spec = RootlessSpec({"sh", "-c",
                                    "cat /proc/self/cgroup;"
                                    " (for i in 1 2 3 4 5 6; do sleep 30 & done) 2>&1; echo after"});
  // No cgroup namespace (as `hull spec --rootless`): the host's names.
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(4);
  const std::string id = NewRootlessId();
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 0) << result;
  // The shell, the subshell and two sleeps are four processes.
  EXPECT_EQ(result.out, absl::StrCat("0::", delegated_, "/", id,
                                     "\nsh: can't fork: Resource temporarily unavailable\nafter\n"))
      << result;
  EXPECT_NE(access(absl::StrCat(kCgroupRoot, delegated_, "/", id).c_str(), F_OK), 0);
  ExpectNothingOf(id);
}

TEST_F(RootlessCgroupsV2Test, ALimitOutsideTheDelegatedSubtreeIsRefusedBeforeAnythingIsMade) {
  config::Spec spec = RootlessSpec({"true"});
  const std::string id = NewRootlessId();
  spec.mutable_linux()->set_cgroups_path(absl::StrCat("/hull-not-delegated/", id));
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(20);
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = AsUser({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("rootless container: linux.resources.pids needs a cgroup"))
      << result;
  EXPECT_NE(access("/sys/fs/cgroup/hull-not-delegated", F_OK), 0);
  ExpectNothingOf(id);
}

}  // namespace
}  // namespace hull::testing
