// The systemd cgroup driver (`hull --systemd-cgroup`) against a real systemd:
// the test runs in the cgroup v2 VM booted with systemd as its PID 1 and
// D-Bus's system bus (//testing/integration:systemd_cgroup_vm_test; the
// binary itself is manual). Containers' scopes are seen from inside the
// container (/proc/self/cgroup, a memory limit that bites) and from systemd
// (`systemctl show`).
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kMiB = 1 << 20;

// What `command` prints on stdout (its stderr goes to the test's).
std::string Output(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen " << command;
    return output;
  }
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
  pclose(pipe);
  return output;
}

// `systemctl show -p PROPERTY --value UNIT`, without its newline.
std::string UnitProperty(const std::string& unit, const std::string& property) {
  return std::string(absl::StripTrailingAsciiWhitespace(
      Output(absl::StrCat("systemctl show -p ", property, " --value ", unit))));
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

class SystemdCgroupTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    if (HasFatalFailure()) return;
    // Loud, never a skip: without systemd this suite proves nothing.
    ASSERT_TRUE(Exists("/run/systemd/system"))
        << "this suite needs systemd as PID 1 (it runs in the VM: systemd_cgroup_vm_test)";
  }
};

TEST_F(SystemdCgroupTest, ContainerRunsInItsScopeUnderTheNestedSliceAndItsMemoryLimitBites) {
  const std::string id = NewId();
  config::Spec spec = ContainerSpec(
      Sh("cat /proc/self/cgroup; dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null;"
         " echo hog $?"));
  // The host's cgroup names, as the container sees them.
  RemoveNamespace(spec, "cgroup");
  // A slice that does not exist yet, nested as systemd names slices.
  spec.mutable_linux()->set_cgroups_path(absl::StrCat("hulltest-vm.slice:hull:", id));
  SetMemoryLimit(spec, 32 * kMiB);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = Hull({"--systemd-cgroup", "run", "-b", (*bundle)->path(), id});
  ASSERT_EQ(result.exit_code, 0) << result;
  const std::string scope = absl::StrCat("hull-", id, ".scope");
  EXPECT_THAT(Lines(result.out),
              ElementsAre(absl::StrCat("0::/hulltest.slice/hulltest-vm.slice/", scope), "hog 137"))
      << result;
  // `run` deleted the container: the unit and its cgroup are gone.
  EXPECT_EQ(UnitProperty(scope, "LoadState"), "not-found");
  EXPECT_FALSE(Exists(absl::StrCat("/sys/fs/cgroup/hulltest.slice/hulltest-vm.slice/", scope)));
}

TEST_F(SystemdCgroupTest, SystemdHoldsTheLimitsUpdateChangesThemDeleteStopsTheUnit) {
  const std::string id = NewId();
  config::Spec spec = ContainerSpec(Sh("sleep 600"));
  config::Resources& resources = *spec.mutable_linux()->mutable_resources();
  resources.mutable_memory()->set_limit(64 * kMiB);
  resources.mutable_pids()->set_limit(32);
  resources.mutable_cpu()->set_quota(25000);
  resources.mutable_cpu()->set_period(100000);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult created = Hull({"--systemd-cgroup", "create", "-b", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  const std::string scope = absl::StrCat("hull-", id, ".scope");
  const std::string cgroup = absl::StrCat("/sys/fs/cgroup/system.slice/", scope);

  // Hull set them as the unit's properties (the default slice and prefix).
  EXPECT_EQ(UnitProperty(scope, "ActiveState"), "active");
  EXPECT_EQ(UnitProperty(scope, "Slice"), "system.slice");
  EXPECT_EQ(UnitProperty(scope, "Delegate"), "yes");
  EXPECT_EQ(UnitProperty(scope, "MemoryMax"), "67108864");
  EXPECT_EQ(UnitProperty(scope, "TasksMax"), "32");
  EXPECT_EQ(UnitProperty(scope, "CPUQuotaPerSecUSec"), "250ms");
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(Output(absl::StrCat("cat ", cgroup, "/cgroup.procs")),
              HasSubstr(absl::StrCat(state->pid(), "\n")));
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/memory.max")), "67108864\n");
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/pids.max")), "32\n");

  // update: the property (which a daemon-reload keeps) and the file.
  HullResult updated = Hull({"update", "--memory", "128m", "--pids-limit", "48", id});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  EXPECT_EQ(UnitProperty(scope, "MemoryMax"), "134217728");
  EXPECT_EQ(UnitProperty(scope, "TasksMax"), "48");
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/memory.max")), "134217728\n");
  ASSERT_EQ(system("systemctl daemon-reload"), 0);
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/memory.max")), "134217728\n");

  // start, pause, resume and stats go through the scope's files.
  HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;
  EXPECT_EQ(WaitForStatus(id, "running"), "running");
  // An exec'd process is born in the scope, beside the init.
  HullResult exec = Hull({"exec", id, "cat", "/proc/self/cgroup"});
  ASSERT_EQ(exec.exit_code, 0) << exec;
  EXPECT_EQ(exec.out, absl::StrCat("0::/system.slice/", scope, "\n")) << exec;
  HullResult paused = Hull({"pause", id});
  ASSERT_EQ(paused.exit_code, 0) << paused;
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/cgroup.freeze")), "1\n");
  HullResult resumed = Hull({"resume", id});
  ASSERT_EQ(resumed.exit_code, 0) << resumed;
  EXPECT_EQ(Output(absl::StrCat("cat ", cgroup, "/cgroup.freeze")), "0\n");
  HullResult stats = Hull({"events", "--stats", id});
  ASSERT_EQ(stats.exit_code, 0) << stats;
  EXPECT_THAT(stats.out, HasSubstr("\"limit\":134217728")) << stats;

  // delete (without the flag: the state names the unit) stops the unit.
  HullResult deleted = Hull({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_EQ(UnitProperty(scope, "LoadState"), "not-found");
  EXPECT_FALSE(Exists(cgroup));
}

// runc's org.systemd.property.* annotations: systemd gets them with the
// scope's own properties, and the kernel enforces what they limit.
TEST_F(SystemdCgroupTest, PropertyAnnotationsReachTheUnit) {
  auto annotate = [](config::Spec& spec) {
    auto& annotations = *spec.mutable_annotations();
    annotations["org.systemd.property.TasksMax"] = "uint64 5";
    annotations["org.systemd.property.TimeoutStopSec"] = "7";
    annotations["org.systemd.property.CollectMode"] = "'inactive-or-failed'";
  };
  const std::string id = NewId();
  config::Spec spec = ContainerSpec(Sh("sleep 600"));
  annotate(spec);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult created = Hull({"--systemd-cgroup", "create", "-b", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  const std::string scope = absl::StrCat("hull-", id, ".scope");
  EXPECT_EQ(UnitProperty(scope, "TasksMax"), "5");
  // TimeoutStopSec, in seconds, became TimeoutStopUSec.
  EXPECT_EQ(UnitProperty(scope, "TimeoutStopUSec"), "7s");
  EXPECT_EQ(UnitProperty(scope, "CollectMode"), "inactive-or-failed");
  HullResult deleted = Hull({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;

  // Inside a container: its fifth process cannot be made (the shell, the
  // subshell and three sleeps are five; the config itself has no pids limit).
  const std::string run_id = NewId();
  config::Spec run_spec =
      ContainerSpec(Sh("(for i in 1 2 3 4 5 6; do sleep 30 & done) 2>&1; echo after"));
  annotate(run_spec);
  absl::StatusOr<Bundle*> run_bundle = MakeBundle(run_spec);
  ASSERT_TRUE(run_bundle.ok()) << run_bundle.status();
  HullResult result = Hull({"--systemd-cgroup", "run", "-b", (*run_bundle)->path(), run_id});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out),
              ElementsAre("sh: can't fork: Resource temporarily unavailable", "after"))
      << result;
}

TEST_F(SystemdCgroupTest, FeaturesOfferTheSystemdDriver) {
  HullResult features = Hull({"features"});
  ASSERT_EQ(features.exit_code, 0) << features;
  EXPECT_THAT(features.out, HasSubstr("\"systemd\": true")) << features;
}

TEST_F(SystemdCgroupTest, AFailedCreateLeavesNoUnit) {
  const std::string id = NewId();
  // The init fails after systemd made its scope: at finding the executable.
  config::Spec spec = ContainerSpec({"/no/such/program"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult created = Hull({"--systemd-cgroup", "create", "-b", (*bundle)->path(), id});
  ASSERT_NE(created.exit_code, 0) << created;
  EXPECT_THAT(created.err, HasSubstr("/no/such/program")) << created;
  const std::string scope = absl::StrCat("hull-", id, ".scope");
  EXPECT_EQ(UnitProperty(scope, "LoadState"), "not-found");
  EXPECT_FALSE(Exists(absl::StrCat("/sys/fs/cgroup/system.slice/", scope)));
}

}  // namespace
}  // namespace hull::testing
