// The systemd cgroup driver for a rootless container, as runc's rootless
// driver: an ordinary user's `hull --systemd-cgroup` has the user's own
// systemd instance (user@UID.service, reached on the user's bus) make the
// container's scope, in its user.slice. The test runs in the cgroup v2 VM
// booted with systemd (//testing/integration:rootless_systemd_vm_test; the
// binary itself is manual), where it starts the suite user's systemd
// (user@UID.service) for the suite.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"
#include "testing/integration/rootless_fixture.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

class RootlessSystemdTest : public RootlessTest {
 protected:
  // The user's systemd runs for the whole suite. Started before any test
  // makes its files: its first start brings up sysinit.target, which in the
  // VM mounts a new tmpfs on /tmp.
  static void SetUpTestSuite() {
    RootlessTest::SetUpTestSuite();
    if (::testing::Test::HasFatalFailure()) return;
    // Loud, never a skip: without systemd this suite proves nothing.
    ASSERT_TRUE(Exists("/run/systemd/system"))
        << "this suite needs systemd as PID 1 (it runs in the VM: rootless_systemd_vm_test)";
    const std::string start = absl::StrCat("systemctl start ", Manager());
    ASSERT_EQ(std::system(start.c_str()), 0) << start;
    started_ = true;
  }

  static void TearDownTestSuite() {
    if (started_) {
      // Before the user is removed: userdel refuses a user with processes.
      const std::string stop = absl::StrCat("systemctl stop ", Manager());
      EXPECT_EQ(std::system(stop.c_str()), 0) << stop;
      started_ = false;
    }
    RootlessTest::TearDownTestSuite();
  }

  void SetUp() override {
    ASSERT_TRUE(started_) << "the user's systemd did not start";
    RootlessTest::SetUp();
    if (HasFatalFailure()) return;
    bus_ = absl::StrCat("/run/user/", uid_, "/bus");
    ASSERT_TRUE(Exists(bus_)) << "the user's systemd made no bus at " << bus_;
  }

  static std::string Manager() { return absl::StrCat("user@", uid_, ".service"); }

  // `hull ARGS...` run by the user, on its bus.
  HullResult AsUserOnItsBus(const std::vector<std::string>& args) {
    absl::StatusOr<HullResult> result =
        RunHull(args, {.environment = {absl::StrCat("XDG_RUNTIME_DIR=", runtime_dir_),
                                       absl::StrCat("DBUS_SESSION_BUS_ADDRESS=unix:path=", bus_)},
                       .as_user = std::make_pair(uid_, gid_),
                       .binary = hull_});
    if (!result.ok()) {
      ADD_FAILURE() << result.status();
      return HullResult{};
    }
    return *result;
  }

  // The user's systemd's cgroup, below which it makes its units'.
  std::string ManagerCgroup() const {
    return absl::StrCat("/user.slice/user-", uid_, ".slice/", Manager());
  }

  static bool started_;
  std::string bus_;
};

bool RootlessSystemdTest::started_ = false;

TEST_F(RootlessSystemdTest, TheUsersSystemdMakesTheScopeAndItsLimitBites) {
  const std::string id = NewRootlessId();
  config::Spec spec = RootlessSpec(
      Sh("cat /proc/self/cgroup; (for i in 1 2 3 4 5 6; do sleep 30 & done) 2>&1; echo after"));
  // The cgroup's names as the host has them.
  RemoveNamespace(spec, "cgroup");
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(5);
  absl::StatusOr<Bundle*> bundle = UserBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = AsUserOnItsBus({"--systemd-cgroup", "run", "-b", (*bundle)->path(), id});
  ASSERT_EQ(result.exit_code, 0) << result;
  const std::string scope = absl::StrCat(ManagerCgroup(), "/user.slice/hull-", id, ".scope");
  // The shell, the subshell and three sleeps are five processes: the sixth
  // fork fails.
  EXPECT_THAT(Lines(result.out),
              ElementsAre(absl::StrCat("0::", scope),
                          "sh: can't fork: Resource temporarily unavailable", "after"))
      << result;
  // `run` deleted the container: the user's systemd removed its scope.
  EXPECT_FALSE(Exists(absl::StrCat("/sys/fs/cgroup", scope)));
  ExpectNothingOf(id);
}

TEST_F(RootlessSystemdTest, CreateMakesTheScopeUpdateSetsItDeleteRemovesIt) {
  const std::string id = NewRootlessId();
  absl::StatusOr<Bundle*> bundle = UserBundle(RootlessSpec({"sleep", "600"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult created =
      AsUserOnItsBus({"--systemd-cgroup", "create", "-b", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  const std::string directory =
      absl::StrCat("/sys/fs/cgroup", ManagerCgroup(), "/user.slice/hull-", id, ".scope");
  EXPECT_TRUE(Exists(directory)) << directory;
  // update sets the unit's property on the user's bus, and the file.
  HullResult updated = AsUserOnItsBus({"update", "--pids-limit", "7", id});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  absl::StatusOr<std::string> pids_max = ReadFile(directory + "/pids.max");
  ASSERT_TRUE(pids_max.ok()) << pids_max.status();
  EXPECT_EQ(*pids_max, "7\n");
  // Without the flag: the state names the unit.
  HullResult deleted = AsUserOnItsBus({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_FALSE(Exists(directory)) << directory;
  ExpectNothingOf(id);
}

}  // namespace
}  // namespace hull::testing
