// The process attributes the kernel keeps per process, proven from inside a
// real container: process.scheduler, process.ioPriority, linux.personality,
// linux.memoryPolicy (the init's and an exec'd process's), and
// process.execCPUAffinity (exec'd processes only). And the security labels
// this host cannot enforce, refused alike by `create`, `validate` and `exec`.
#include <sys/utsname.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "config/host_support.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Fields 18 (priority), 19 (nice), 40 (rt_priority) and 41 (policy) of a
// /proc/<pid>/stat line, counted from 1 as proc(5) does.
struct StatScheduling {
  std::string priority, nice, rt_priority, policy;
};

StatScheduling ParseStat(absl::string_view stat) {
  // The fields after the command name, which may hold spaces, start at 3.
  const size_t paren = stat.rfind(')');
  std::vector<std::string> fields = absl::StrSplit(
      absl::StripAsciiWhitespace(stat.substr(paren == absl::string_view::npos ? 0 : paren + 1)),
      ' ');
  auto field = [&fields](size_t number) {
    return number - 3 < fields.size() ? fields[number - 3] : std::string("missing");
  };
  return {field(18), field(19), field(40), field(41)};
}

constexpr char kCpusAllowed[] = "grep Cpus_allowed_list: /proc/self/status | cut -f2";

class ProcessKernelAttributesTest : public HullTest {
 protected:
  std::string StartSleeper(const config::Spec& spec) {
    const std::string id = NewId();
    EXPECT_TRUE(CreateContainer(spec, id));
    HullResult started = Hull({"start", id});
    EXPECT_EQ(started.exit_code, 0) << started;
    return id;
  }

  // `hull exec ID COMMAND...`, the config's process as its template.
  HullResult Exec(const std::string& id, const std::vector<std::string>& command) {
    std::vector<std::string> args = {"exec", id};
    args.insert(args.end(), command.begin(), command.end());
    return Hull(args);
  }

  // `hull exec -p process.json ID`.
  HullResult ExecProcessJson(const std::string& id, const std::string& json) {
    absl::StatusOr<std::string> dir = MakeTempDir("process");
    if (!dir.ok()) return {.err = std::string(dir.status().message())};
    if (absl::Status written = WriteFile(*dir + "/process.json", json); !written.ok()) {
      return {.err = std::string(written.message())};
    }
    return Hull({"exec", "-p", *dir + "/process.json", id});
  }

  // The CPUs (Cpus_allowed_list) of a process `exec -p` starts in a new
  // container with `affinity` (JSON) as its execCPUAffinity.
  HullResult ExecdCpusAllowed(const std::string& affinity) {
    const std::string id = StartSleeper(ContainerSpec({"sleep", "1000"}));
    return ExecProcessJson(
        id, absl::StrCat(R"({"args": ["sh", "-c", ")", kCpusAllowed,
                         R"("], "cwd": "/", "env": ["PATH=/bin"], "execCPUAffinity": )", affinity,
                         "}"));
  }
};

TEST_F(ProcessKernelAttributesTest, SchedulerPolicyAndNice) {
  config::Spec spec = ContainerSpec({"cat", "/proc/self/stat"});
  config::Scheduler& scheduler = *spec.mutable_process()->mutable_scheduler();
  scheduler.set_policy("SCHED_BATCH");
  scheduler.set_nice(7);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  const StatScheduling stat = ParseStat(result.out);
  EXPECT_EQ(stat.policy, "3") << result;  // SCHED_BATCH
  EXPECT_EQ(stat.nice, "7") << result;
  EXPECT_EQ(stat.priority, "27") << result;  // 20 + nice
  EXPECT_EQ(stat.rt_priority, "0") << result;
}

TEST_F(ProcessKernelAttributesTest, SchedulerIdleForTheInitAndAnExecdProcess) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  spec.mutable_process()->mutable_scheduler()->set_policy("SCHED_IDLE");
  const std::string id = StartSleeper(spec);
  // The init (pid 1), and the exec'd cat itself.
  HullResult result = Exec(id, {"cat", "/proc/1/stat", "/proc/self/stat"});
  ASSERT_EQ(result.exit_code, 0) << result;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 2u) << result;
  EXPECT_EQ(ParseStat(lines[0]).policy, "5") << result;  // SCHED_IDLE
  EXPECT_EQ(ParseStat(lines[1]).policy, "5") << result;
}

TEST_F(ProcessKernelAttributesTest, RealTimeWithoutRuntimeIsExplained) {
  // The host's v1 cpu cgroups give a new cgroup no real-time runtime; a host
  // that gives it some runs the init under SCHED_FIFO instead.
  config::Spec spec = ContainerSpec({"cat", "/proc/self/stat"});
  spec.mutable_process()->mutable_scheduler()->set_policy("SCHED_FIFO");
  spec.mutable_process()->mutable_scheduler()->set_priority(10);
  HullResult result = RunContainer(spec);
  if (result.exit_code == 0) {
    EXPECT_EQ(ParseStat(result.out).policy, "1") << result;  // SCHED_FIFO
    return;
  }
  EXPECT_THAT(result.err, HasSubstr("set the scheduling policy")) << result;
  EXPECT_THAT(result.err, HasSubstr("process.scheduler: SCHED_FIFO")) << result;
}

TEST_F(ProcessKernelAttributesTest, IoPriority) {
  config::Spec spec = ContainerSpec({"ionice"});
  spec.mutable_process()->mutable_io_priority()->set_class_("IOPRIO_CLASS_BE");
  spec.mutable_process()->mutable_io_priority()->set_priority(6);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "best-effort: prio 6\n") << result;

  spec.mutable_process()->mutable_io_priority()->set_class_("IOPRIO_CLASS_IDLE");
  spec.mutable_process()->mutable_io_priority()->set_priority(0);
  result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "idle\n") << result;  // busybox prints no level for idle
}

TEST_F(ProcessKernelAttributesTest, IoPriorityOfAnExecdProcess) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  const std::string id = StartSleeper(spec);
  HullResult result = ExecProcessJson(
      id, R"({"args": ["ionice"], "cwd": "/", "env": ["PATH=/bin"],
              "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 2}})");
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "best-effort: prio 2\n") << result;
}

TEST_F(ProcessKernelAttributesTest, Personality) {
  config::Spec spec = ContainerSpec({"sh", "-c", "cat /proc/self/personality; uname -m"});
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX32");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 2u) << result;
  EXPECT_EQ(lines[0], "00000008") << result;  // PER_LINUX32
  // On a 64-bit x86 host, a 32-bit machine.
  struct utsname host;
  ASSERT_EQ(uname(&host), 0);
  if (std::string(host.machine) == "x86_64") {
    EXPECT_EQ(lines[1], "i686") << result;
  }
}

TEST_F(ProcessKernelAttributesTest, PersonalityOfAnExecdProcess) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  spec.mutable_linux()->mutable_personality()->set_domain("LINUX32");
  const std::string id = StartSleeper(spec);
  HullResult result = Exec(id, {"cat", "/proc/self/personality"});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "00000008\n") << result;
}

// numa_maps shows, for a mapping without a policy of its own, the process's.
TEST_F(ProcessKernelAttributesTest, MemoryPolicy) {
  config::Spec spec = ContainerSpec({"head", "-n", "1", "/proc/self/numa_maps"});
  spec.mutable_linux()->mutable_memory_policy()->set_mode("MPOL_INTERLEAVE");
  spec.mutable_linux()->mutable_memory_policy()->set_nodes("0");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> fields = absl::StrSplit(result.out, ' ');
  ASSERT_GE(fields.size(), 2u) << result;
  EXPECT_EQ(fields[1], "interleave:0") << result;

  spec.mutable_linux()->mutable_memory_policy()->set_mode("MPOL_BIND");
  result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  fields = absl::StrSplit(result.out, ' ');
  ASSERT_GE(fields.size(), 2u) << result;
  EXPECT_EQ(fields[1], "bind:0") << result;
}

TEST_F(ProcessKernelAttributesTest, MemoryPolicyOfAnExecdProcess) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  spec.mutable_linux()->mutable_memory_policy()->set_mode("MPOL_PREFERRED");
  spec.mutable_linux()->mutable_memory_policy()->set_nodes("0");
  const std::string id = StartSleeper(spec);
  HullResult result = Exec(id, {"head", "-n", "1", "/proc/self/numa_maps"});
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> fields = absl::StrSplit(result.out, ' ');
  ASSERT_GE(fields.size(), 2u) << result;
  EXPECT_EQ(fields[1], "prefer:0") << result;
}

// The CPUs this host has online ("0-1").
std::string OnlineCpus() {
  absl::StatusOr<std::string> online = ReadFile("/sys/devices/system/cpu/online");
  return online.ok() ? std::string(absl::StripTrailingAsciiWhitespace(*online)) : "";
}

TEST_F(ProcessKernelAttributesTest, ExecCpuAffinityFinal) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_FAIL() << "cannot run on this host: needs two CPUs";
  HullResult result = ExecdCpusAllowed(R"({"initial": "0", "final": "1"})");
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "1\n") << result;
}

// With `initial` alone, the pinning does not outlive the move into the
// container's cgroups (runc 1.2).
TEST_F(ProcessKernelAttributesTest, ExecCpuAffinityInitialAloneIsUndone) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_FAIL() << "cannot run on this host: needs two CPUs";
  HullResult result = ExecdCpusAllowed(R"({"initial": "1"})");
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, OnlineCpus() + "\n") << result;
}

// The config's execCPUAffinity is the template of `exec` without --process;
// the container's init is not pinned (the spec: exec'd processes only).
TEST_F(ProcessKernelAttributesTest, ExecCpuAffinityFromTheConfigSparesTheInit) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_FAIL() << "cannot run on this host: needs two CPUs";
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  spec.mutable_process()->mutable_exec_cpu_affinity()->set_final_cpus("1");
  const std::string id = StartSleeper(spec);
  HullResult result = Exec(id, Sh(absl::StrCat(
                                   kCpusAllowed,
                                   "; grep Cpus_allowed_list: /proc/1/status | cut -f2")));
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("1", OnlineCpus())) << result;
}

// The labels this host's kernel cannot enforce: `create` and `validate`
// refuse them with the same error, naming the field.
TEST_F(ProcessKernelAttributesTest, SecurityLabelsWithoutTheirModuleAreRefused) {
  const config::HostSupport& host = config::DetectedHostSupport();
  if (host.apparmor || host.selinux) {
    GTEST_FAIL() << "cannot run on this host: it has AppArmor or SELinux";
  }
  config::Spec spec = ContainerSpec({"true"});
  spec.mutable_process()->set_apparmor_profile("hull-test");
  spec.mutable_process()->set_selinux_label("system_u:system_r:container_t:s0");
  spec.mutable_linux()->set_mount_label("system_u:object_r:container_file_t:s0");
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  HullResult created = Hull({"create", "-b", (*bundle)->path(), id});
  HullResult validated = Hull({"validate", "-b", (*bundle)->path()});
  for (const HullResult* result : {&created, &validated}) {
    EXPECT_NE(result->exit_code, 0) << *result;
    EXPECT_THAT(result->err, HasSubstr("process.apparmorProfile: apparmor profile specified but "
                                       "AppArmor is not enabled on this system"))
        << *result;
    EXPECT_THAT(result->err, HasSubstr("process.selinuxLabel: SELinux label specified but "
                                       "SELinux is not enabled on this system"))
        << *result;
    EXPECT_THAT(result->err, HasSubstr("linux.mountLabel: SELinux label specified but SELinux "
                                       "is not enabled on this system"))
        << *result;
  }
  HullResult state = Hull({"state", id});
  EXPECT_NE(state.exit_code, 0) << "a refused create left a container: " << state;
}

TEST_F(ProcessKernelAttributesTest, ExecLabelFlagsWithoutTheirModuleAreRefused) {
  const config::HostSupport& host = config::DetectedHostSupport();
  if (host.apparmor || host.selinux) {
    GTEST_FAIL() << "cannot run on this host: it has AppArmor or SELinux";
  }
  const std::string id = StartSleeper(ContainerSpec({"sleep", "1000"}));
  HullResult apparmor = Hull({"exec", "--apparmor", "hull-test", id, "true"});
  EXPECT_NE(apparmor.exit_code, 0) << apparmor;
  EXPECT_THAT(apparmor.err, HasSubstr("process.apparmorProfile: apparmor profile specified but "
                                      "AppArmor is not enabled on this system"))
      << apparmor;
  HullResult selinux =
      Hull({"exec", "--process-label", "system_u:system_r:container_t:s0", id, "true"});
  EXPECT_NE(selinux.exit_code, 0) << selinux;
  EXPECT_THAT(selinux.err, HasSubstr("process.selinuxLabel: SELinux label specified but "
                                     "SELinux is not enabled on this system"))
      << selinux;
  EXPECT_THAT(selinux.err, Not(HasSubstr("not supported yet"))) << selinux;
}

}  // namespace
}  // namespace hull::testing
