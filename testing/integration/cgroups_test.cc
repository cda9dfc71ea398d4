// The container's cgroups on this host's cgroup v1 controllers. Each limit is
// proven by what the container's own processes observe or suffer (an OOM
// kill, failed forks, throttled CPU, a refused device, a counter that stops),
// never by reading back what Hull wrote; pause, resume, update, events, ps
// and kill --all through the cgroup; delete leaves no cgroup behind; resources
// the host cannot apply fail create and leave nothing.
//
// Containers write what they observe into /share, a directory of the test
// bind-mounted read-write (exec is not supported yet: a container that must
// act after a change waits for a file the test creates).
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::Duration kWait = absl::Seconds(10);
constexpr int64_t kMiB = 1024 * 1024;

void AddCgroupNamespace(config::Spec& spec) { SetNamespace(spec, "cgroup", ""); }

// The hierarchies mounted at /sys/fs/cgroup/NAME on the host (v1 ones and
// the hybrid host's unified one).
std::vector<std::string> CgroupHierarchies() {
  std::vector<std::string> hierarchies;
  absl::StatusOr<std::set<std::string>> mounts = HostMounts();
  if (!mounts.ok()) return hierarchies;
  for (const std::string& mount : *mounts) {
    std::vector<std::string> fields = absl::StrSplit(mount, ' ');
    if (fields.size() < 3 || (fields[2] != "cgroup" && fields[2] != "cgroup2")) continue;
    if (absl::StartsWith(fields[0], "/sys/fs/cgroup/")) hierarchies.push_back(fields[0]);
  }
  return hierarchies;
}

// Of `cgroup` (a path relative to each hierarchy's root), the directories
// that exist on the host.
std::vector<std::string> ExistingCgroupDirectories(const std::string& cgroup) {
  std::vector<std::string> existing;
  for (const std::string& hierarchy : CgroupHierarchies()) {
    const std::string path = hierarchy + cgroup;
    if (Exists(path)) existing.push_back(path);
  }
  return existing;
}

// The names of the directories in `path`.
std::vector<std::string> Subdirectories(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path.c_str())) {
    while (struct dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (entry->d_type == DT_DIR && name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
  }
  return names;
}

// Removes the (empty) cgroup at `path` and those below it.
void RemoveCgroup(const std::string& path) {
  for (const std::string& child : Subdirectories(path)) {
    RemoveCgroup(absl::StrCat(path, "/", child));
  }
  if (rmdir(path.c_str()) != 0) {
    ADD_FAILURE() << "cleanup: rmdir " << path << ": " << strerror(errno);
  }
}

// The number at `path` in `json` (runc prints 64-bit counters as numbers;
// strings holding a number are accepted too); -1 when absent.
double NumberAt(const google::protobuf::Struct& json, std::initializer_list<const char*> path) {
  const google::protobuf::Struct* object = &json;
  const google::protobuf::Value* value = nullptr;
  for (const char* key : path) {
    if (object == nullptr) return -1;
    auto field = object->fields().find(key);
    if (field == object->fields().end()) return -1;
    value = &field->second;
    object = value->has_struct_value() ? &value->struct_value() : nullptr;
  }
  if (value == nullptr) return -1;
  if (value->has_number_value()) return value->number_value();
  double parsed;
  if (value->has_string_value() && absl::SimpleAtod(value->string_value(), &parsed)) return parsed;
  return -1;
}

class CgroupsTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    if (HasFatalFailure()) return;
    // Loud, never a skip: this suite is the cgroup v1 one.
    ASSERT_TRUE(Exists("/sys/fs/cgroup/memory/memory.limit_in_bytes") &&
                Exists("/sys/fs/cgroup/pids") && Exists("/sys/fs/cgroup/freezer") &&
                Exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") && Exists("/sys/fs/cgroup/devices"))
        << "this suite tests cgroup v1 controllers (memory, pids, freezer, cpu, devices) at "
           "/sys/fs/cgroup/<controller>; this host has not got them";
    absl::StatusOr<std::string> share = MakeTempDir("share");
    ASSERT_TRUE(share.ok()) << share.status();
    share_ = *share;
  }

  void TearDown() override {
    HullTest::TearDown();  // the containers' processes are dead after it
    // A container's cgroup that delete left is a failure; it is removed all
    // the same, so that the host stays clean. The test's containers' ids
    // start with the test's name and pid (NewId).
    const std::string prefix = absl::StrCat(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-", getpid(), "-");
    std::vector<std::string> parents = parents_;
    parents.push_back("/hull");
    for (const std::string& parent : parents) {
      for (const std::string& directory : ExistingCgroupDirectories(parent)) {
        for (const std::string& child : Subdirectories(directory)) {
          if (parent == "/hull" && !absl::StartsWith(child, prefix)) continue;
          ADD_FAILURE() << "cgroup left behind: " << directory << "/" << child;
          RemoveCgroup(absl::StrCat(directory, "/", child));
        }
        // A custom parent a container made and could not remove (another
        // container still used it) is expected; /hull is not the test's.
        if (parent != "/hull") RemoveCgroup(directory);
      }
    }
  }

  // runc's default config running `args`, with the test's /share.
  config::Spec Spec(std::vector<std::string> args) {
    config::Spec spec = ContainerSpec(std::move(args));
    AddMount(spec, "/share", "bind", share_, {"rbind", "rw"});
    return spec;
  }

  std::string Shared(const std::string& name) const { return absl::StrCat(share_, "/", name); }

  // What the container wrote to /share/NAME, once it exists.
  std::string WaitForShared(const std::string& name) {
    if (!Eventually([&] { return Exists(Shared(name)); })) {
      ADD_FAILURE() << "the container did not write /share/" << name << " within " << kWait;
      return "";
    }
    return ReadFile(Shared(name)).value_or("");
  }

  // Creates /share/NAME for the container to see.
  void Touch(const std::string& name) {
    absl::Status written = WriteFile(Shared(name), "");
    ASSERT_TRUE(written.ok()) << written;
  }

  // Creates and starts a container for `spec`.
  ::testing::AssertionResult StartContainer(const config::Spec& spec, const std::string& id) {
    ::testing::AssertionResult created = CreateContainer(spec, id);
    if (!created) return created;
    HullResult started = Hull({"start", id});
    if (started.exit_code != 0) return ::testing::AssertionFailure() << "start: " << started;
    return ::testing::AssertionSuccess();
  }

  // A cgroupsPath parent of its own ("/hull-itest-PID-N"), removed after the
  // test if a container left it.
  std::string NewCgroupParent() {
    parents_.push_back(absl::StrCat("/hull-itest-", getpid(), "-", parents_.size()));
    return parents_.back();
  }

  std::string share_;

 private:
  std::vector<std::string> parents_;
};

// A container answering /share/ask with its memory limit, as it reads it in
// its own cgroup (a cgroup namespace shows it at the hierarchy's root).
class MemoryLimitProbe {
 public:
  static constexpr const char* kScript =
      "while :; do"
      "  if [ -e /share/ask ]; then"
      "    cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /share/answer.new;"
      "    mv /share/answer.new /share/answer; rm /share/ask;"
      "  fi;"
      "  sleep 0.02;"
      "done";

  // `share` is the directory the container sees as /share.
  explicit MemoryLimitProbe(std::string share) : ask_(share + "/ask"), answer_(share + "/answer") {}

  // The limit the container reads now; -1 when it did not answer.
  int64_t Ask() {
    unlink(answer_.c_str());
    if (!WriteFile(ask_, "").ok()) return -1;
    if (!Eventually([&] { return !Exists(ask_); })) return -1;
    int64_t limit;
    std::string answer = ReadFile(answer_).value_or("");
    return absl::SimpleAtoi(absl::StripAsciiWhitespace(answer), &limit) ? limit : -1;
  }

 private:
  std::string ask_;
  std::string answer_;
};

// --- memory -------------------------------------------------------------------

// dd reads 64 MiB from /dev/zero into one buffer. A single process: with a
// second one allocating meanwhile (a pipe's writer), the kernel may OOM-kill
// that one too before the first victim's memory is freed.
constexpr const char* kMemoryHog = "dd if=/dev/zero of=/dev/null bs=64M count=1";

TEST_F(CgroupsTest, MemoryLimitOomKillsTheHoggingInit) {
  // Without a limit the same hog finishes: it is the limit that kills it.
  HullResult unlimited = RunContainer(Spec(Sh(absl::StrCat("exec ", kMemoryHog))));
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited;

  config::Spec spec = Spec(Sh(absl::StrCat("exec ", kMemoryHog)));
  SetMemoryLimit(spec, 32 * kMiB);
  HullResult limited = RunContainer(spec);
  EXPECT_EQ(limited.exit_code, 128 + SIGKILL) << limited;
}

TEST_F(CgroupsTest, ContainerSeesItsMemoryLimitAndItsOomKill) {
  config::Spec spec = Spec(Sh(absl::StrCat(
      "cd /sys/fs/cgroup/memory; cat memory.limit_in_bytes memory.memsw.limit_in_bytes; ",
      kMemoryHog, " 2> /dev/null; echo hog $?; grep '^oom_kill ' memory.oom_control")));
  AddCgroupNamespace(spec);
  SetMemoryLimit(spec, 32 * kMiB);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("33554432", "33554432", "hog 137", "oom_kill 1"))
      << result;
}

// runc's way, which Hull follows: without a cgroup namespace each hierarchy
// is a bind of the container's own cgroup (so the init must be in it before
// it mounts anything).
TEST_F(CgroupsTest, WithoutACgroupNamespaceTheContainerSeesItsOwnCgroups) {
  config::Spec spec =
      Spec(Sh("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max"));
  SetMemoryLimit(spec, 48 * kMiB);
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(50);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre(absl::StrCat(48 * kMiB), "50")) << result;
}

// The init makes its mounts while the launcher moves it into its cgroups and
// waits at the first thing its cgroups matter for: with no cgroup mount in
// the config, that is before the user's process, which must be in them.
TEST_F(CgroupsTest, WithoutACgroupMountTheProcessIsInItsCgroupsAllTheSame) {
  const std::string cgroup = absl::StrCat(NewCgroupParent(), "/container");
  config::Spec spec = Spec(Sh("cat /proc/self/cgroup"));
  auto* mounts = spec.mutable_mounts();
  for (auto it = mounts->begin(); it != mounts->end();) {
    it = it->type() == "cgroup" ? mounts->erase(it) : it + 1;
  }
  spec.mutable_linux()->set_cgroups_path(cgroup);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  // "ID:controllers:path", one line a hierarchy the host has mounted.
  const std::vector<std::string> lines = Lines(result.out);
  EXPECT_THAT(lines, SizeIs(CgroupHierarchies().size())) << result;
  for (const std::string& line : lines) {
    EXPECT_TRUE(absl::EndsWith(line, absl::StrCat(":", cgroup))) << line;
  }
}

// --- pids ---------------------------------------------------------------------

// Forks 20 sleeps, printing the number of each one started; busybox's sh
// ends at the first fork that fails.
constexpr const char* kForkTwenty = "for i in $(seq 20); do sleep 30 & echo $i; done";

// The init is alone in its pids cgroup when it joins it: a limit of one
// process lets the container run (and nothing more).
TEST_F(CgroupsTest, APidsLimitOfOneRunsTheInitAlone) {
  config::Spec spec = Spec(Sh("echo started; /bin/true; echo not reached"));
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(1);
  HullResult result = RunContainer(spec);
  // busybox sh gives up with 2 when it cannot fork.
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("started")) << result;
  EXPECT_THAT(result.err, HasSubstr("can't fork")) << result;
}

TEST_F(CgroupsTest, PidsLimitStopsForks) {
  HullResult unlimited = RunContainer(Spec(Sh(kForkTwenty)));
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited;
  ASSERT_THAT(Lines(unlimited.out), SizeIs(20)) << unlimited;

  config::Spec spec = Spec(Sh(kForkTwenty));
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(10);
  HullResult limited = RunContainer(spec);
  // The shell is one of the 10.
  EXPECT_THAT(Lines(limited.out), SizeIs(9)) << limited;
  EXPECT_THAT(limited.err, HasSubstr("can't fork: Resource temporarily unavailable")) << limited;
  EXPECT_EQ(limited.exit_code, 2) << limited;
}

// --- cpu ----------------------------------------------------------------------

// A busy loop runs for a second of wall time. Its CPU time (utime + stime in
// clock ticks of 10 ms, from its /proc/PID/stat) is bounded by the quota
// whatever the load of the machine; nr_throttled, the kernel's count of
// periods in which the cgroup ran out of quota, shows the bound did bite
// (a starved loop would pass the first check alone).
TEST_F(CgroupsTest, CpuQuotaThrottlesABusyLoop) {
  config::Spec spec =
      Spec(Sh("while :; do :; done & p=$!; sleep 1;"
              " read -r stat < /proc/$p/stat; kill $p; set -- $stat; echo ticks $((${14} + ${15}));"
              " grep nr_throttled /sys/fs/cgroup/cpu/cpu.stat"));
  AddCgroupNamespace(spec);
  config::Cpu& cpu = *spec.mutable_linux()->mutable_resources()->mutable_cpu();
  cpu.set_quota(10000);  // 10 ms every 100 ms: a tenth of a CPU
  cpu.set_period(100000);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(2)) << result;
  int ticks = -1;
  int throttled = -1;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripPrefix(lines[0], "ticks "), &ticks)) << result;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripPrefix(lines[1], "nr_throttled "), &throttled)) << result;
  EXPECT_LE(ticks, 20) << "more than 0.2 s of CPU in 1 s under a 10% quota; " << result;
  EXPECT_GT(throttled, 0) << result;
}

// --- devices ------------------------------------------------------------------

// /dev/fuse (c 10:229) opens for root on the host, and runc's default rules
// do not allow it. The node is made inside the container (the default rules
// allow mknod of any device, not its use); /dev/null's numbers are the
// control. (Not /dev/kmsg: dmesg_restrict refuses it whatever the cgroup.)
constexpr const char* kOpenMadeNodes =
    "mknod /dev/fuse-node c 10 229 && echo made;"
    " true < /dev/fuse-node && echo opened fuse;"
    " mknod /dev/null-node c 1 3 && true < /dev/null-node && echo opened null";

TEST_F(CgroupsTest, DeviceTheRulesDoNotAllowCannotBeOpened) {
  config::Spec spec = Spec(Sh(kOpenMadeNodes));
  AddCapability(spec, "CAP_MKNOD");
  HullResult result = RunContainer(spec);
  EXPECT_THAT(Lines(result.out), ElementsAre("made", "opened null")) << result;
  EXPECT_THAT(result.err, HasSubstr("can't open /dev/fuse-node: Operation not permitted"))
      << result;
}

TEST_F(CgroupsTest, DeviceRuleOfTheConfigAllowsTheDevice) {
  config::Spec spec = Spec(Sh(kOpenMadeNodes));
  AddCapability(spec, "CAP_MKNOD");
  config::DeviceCgroup& rule = *spec.mutable_linux()->mutable_resources()->add_devices();
  rule.set_allow(true);
  rule.set_type("c");
  rule.set_major(10);
  rule.set_minor(229);
  rule.set_access("rw");
  HullResult result = RunContainer(spec);
  EXPECT_THAT(Lines(result.out), ElementsAre("made", "opened fuse", "opened null")) << result;
}

TEST_F(CgroupsTest, DevicesTheConfigCreatesAreAllowed) {
  config::Spec spec = Spec(Sh("true < /dev/fuse && echo opened fuse"));
  config::Device& fuse = *spec.mutable_linux()->add_devices();
  fuse.set_path("/dev/fuse");
  fuse.set_type("c");
  fuse.set_major(10);
  fuse.set_minor(229);
  fuse.set_file_mode(0600);
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.out, "opened fuse\n") << result;
}

// --- freezer ------------------------------------------------------------------

constexpr const char* kCounter =
    "i=0; while true; do i=$((i + 1)); echo $i > /share/count.new;"
    " mv /share/count.new /share/count; sleep 0.05; done";

TEST_F(CgroupsTest, PauseFreezesTheContainerAndResumeThawsIt) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec(Sh(kCounter)), id));
  auto count = [&] { return ReadFile(Shared("count")).value_or(""); };
  ASSERT_FALSE(WaitForShared("count").empty());
  const std::string first = count();
  ASSERT_TRUE(Eventually([&] { return count() != first; })) << "the counter does not count";

  HullResult paused = Hull({"pause", id});
  ASSERT_EQ(paused.exit_code, 0) << paused;
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "paused");
  const std::string frozen = count();
  absl::SleepFor(absl::Milliseconds(500));  // 10 counts if it ran
  EXPECT_EQ(count(), frozen) << "the counter moved while paused";

  HullResult resumed = Hull({"resume", id});
  ASSERT_EQ(resumed.exit_code, 0) << resumed;
  EXPECT_TRUE(Eventually([&] { return count() != frozen; })) << "the counter stays frozen";
  state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "running");
}

TEST_F(CgroupsTest, PauseAndResumeRefuseTheWrongState) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec({"sleep", "1000"}), id));
  HullResult resumed = Hull({"resume", id});
  EXPECT_EQ(resumed.exit_code, 1) << resumed;
  EXPECT_THAT(resumed.err, HasSubstr("is running: cannot resume")) << resumed;
  ASSERT_EQ(Hull({"pause", id}).exit_code, 0);
  HullResult again = Hull({"pause", id});
  EXPECT_EQ(again.exit_code, 1) << again;
  EXPECT_THAT(again.err, HasSubstr("is paused: cannot pause")) << again;
}

// On cgroup v1 a frozen process dies of SIGKILL only once thawed: kill
// thaws a paused container after SIGKILL, as runc does.
TEST_F(CgroupsTest, KillOfAPausedContainerStopsIt) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec({"sleep", "1000"}), id));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(Hull({"pause", id}).exit_code, 0);
  HullResult killed = Hull({"kill", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  EXPECT_TRUE(ProcessIsDead(state->pid()));
}

TEST_F(CgroupsTest, ForceDeleteOfAPausedContainer) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec({"sleep", "1000"}), id));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(Hull({"pause", id}).exit_code, 0);
  HullResult deleted = Hull({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_TRUE(ProcessIsDead(state->pid()));
  EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), IsEmpty());
}

// --- update -------------------------------------------------------------------

TEST_F(CgroupsTest, UpdatedPidsLimitStopsForksOfARunningContainer) {
  // Ten forks succeed first; then, after the update, only four (the shell
  // is the fifth process).
  const std::string id = NewId();
  ASSERT_TRUE(
      StartContainer(Spec(Sh("for i in $(seq 10); do sleep 1000 & echo $i >> /share/before; done;"
                             " kill $(jobs -p); wait; touch /share/ready;"
                             " while [ ! -e /share/go ]; do sleep 0.02; done;"
                             " for i in $(seq 10); do sleep 1000 & echo $i >> /share/after; done")),
                     id));
  WaitForShared("ready");
  EXPECT_THAT(Lines(ReadFile(Shared("before")).value_or("")), SizeIs(10));

  HullResult updated = Hull({"update", "--pids-limit", "5", id});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  Touch("go");
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped") << "the shell did not end at a failed fork";
  EXPECT_THAT(Lines(ReadFile(Shared("after")).value_or("")), SizeIs(4));
}

TEST_F(CgroupsTest, UpdateChangesTheMemoryLimitTheContainerSees) {
  config::Spec spec = Spec(Sh(MemoryLimitProbe::kScript));
  AddCgroupNamespace(spec);
  SetMemoryLimit(spec, 64 * kMiB);
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(spec, id));
  MemoryLimitProbe probe(share_);
  ASSERT_EQ(probe.Ask(), 64 * kMiB);

  // Lower (memory before memory+swap) and higher (the other way round).
  HullResult lowered = Hull({"update", "--memory", "40m", "--memory-swap", "40m", id});
  ASSERT_EQ(lowered.exit_code, 0) << lowered;
  EXPECT_EQ(probe.Ask(), 40 * kMiB);

  HullOptions stdin_json;
  stdin_json.input =
      absl::StrCat(R"({"memory": {"limit": )", 96 * kMiB, R"(, "swap": )", 96 * kMiB, "}}");
  HullResult raised = Hull({"update", "-r", "-", id}, stdin_json);
  ASSERT_EQ(raised.exit_code, 0) << raised;
  EXPECT_EQ(probe.Ask(), 96 * kMiB);
}

// 16 MiB of tmpfs the container wrote are charged to it and cannot be
// reclaimed (no swap): a limit below them is refused, the container goes on.
TEST_F(CgroupsTest, UpdateBelowTheUsageIsRefused) {
  config::Spec spec =
      Spec(Sh(absl::StrCat("head -c 16m /dev/zero > /dev/shm/fill; ", MemoryLimitProbe::kScript)));
  AddCgroupNamespace(spec);
  SetMemoryLimit(spec, 64 * kMiB);
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(spec, id));
  MemoryLimitProbe probe(share_);
  ASSERT_EQ(probe.Ask(), 64 * kMiB);

  HullOptions checked;
  checked.input = absl::StrCat(R"({"memory": {"limit": )", 8 * kMiB, R"(, "swap": )", 8 * kMiB,
                               R"(, "checkBeforeUpdate": true}})");
  HullResult refused = Hull({"update", "-r", "-", id}, checked);
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("limit ", 8 * kMiB, " <= usage "))) << refused;
  EXPECT_EQ(probe.Ask(), 64 * kMiB);

  // Without the check the kernel refuses it too.
  HullResult kernel = Hull({"update", "--memory", "8m", "--memory-swap", "8m", id});
  EXPECT_EQ(kernel.exit_code, 1) << kernel;
  EXPECT_THAT(kernel.err, HasSubstr("memory limit to 8388608")) << kernel;
  EXPECT_EQ(probe.Ask(), 64 * kMiB);
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "running");
}

// --- events, ps, kill --all -----------------------------------------------------

TEST_F(CgroupsTest, EventsStatsPrintsTheContainersUsage) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec({"sleep", "1000"}), id));
  HullResult events = Hull({"events", "--stats", id});
  ASSERT_EQ(events.exit_code, 0) << events;
  std::vector<std::string> lines = Lines(events.out);
  ASSERT_THAT(lines, SizeIs(1)) << events;
  google::protobuf::Struct event;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &event).ok()) << events;
  EXPECT_EQ(event.fields().at("type").string_value(), "stats") << events;
  EXPECT_EQ(event.fields().at("id").string_value(), id) << events;
  EXPECT_GT(NumberAt(event, {"data", "memory", "usage", "usage"}), 0) << events;
  EXPECT_EQ(NumberAt(event, {"data", "pids", "current"}), 1) << "sleep alone; " << events;
  EXPECT_GT(NumberAt(event, {"data", "cpu", "usage", "total"}), 0) << events;
}

TEST_F(CgroupsTest, PsListsTheInitAndItsBackgroundChild) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec(Sh("sleep 1000 & wait")), id));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  std::vector<pid_t> pids;
  ASSERT_TRUE(Eventually([&] {
    HullResult ps = Hull({"ps", "--format", "json", id});
    pids = ParsePidList(ps.out);
    return pids.size() == 2;
  })) << "ps listed "
      << pids.size() << " pids";
  ASSERT_THAT(pids, Contains(state->pid()));
  const pid_t child = pids[0] == state->pid() ? pids[1] : pids[0];
  absl::StatusOr<std::string> status = ReadFile(absl::StrCat("/proc/", child, "/status"));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, HasSubstr(absl::StrCat("\nPPid:\t", state->pid(), "\n")));
}

// The init (pid 1 of its namespace, without a handler) ignores SIGTERM; its
// background child dies of it, and the init reports how.
TEST_F(CgroupsTest, KillAllReachesTheBackgroundProcesses) {
  const std::string id = NewId();
  // The result is renamed into place: WaitForShared reads a file once it
  // exists, which a redirection creates empty before it writes.
  ASSERT_TRUE(StartContainer(Spec(Sh("sleep 1000 & touch /share/started; wait $!;"
                                     " echo sleep ended with $? > /share/result.new;"
                                     " mv /share/result.new /share/result; sleep 1000")),
                             id));
  WaitForShared("started");
  HullResult killed = Hull({"kill", "--all", id, "TERM"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  EXPECT_EQ(WaitForShared("result"), absl::StrCat("sleep ended with ", 128 + SIGTERM, "\n"));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "running");
}

// --- delete -------------------------------------------------------------------

TEST_F(CgroupsTest, DeleteRemovesEveryCgroupOfTheContainer) {
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(Spec({"sleep", "1000"}), id));
  const std::vector<std::string> hierarchies = CgroupHierarchies();
  ASSERT_THAT(hierarchies, Contains("/sys/fs/cgroup/memory"));
  // The container is in /hull/ID of every hierarchy.
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  absl::StatusOr<std::string> cgroups = ReadFile(absl::StrCat("/proc/", state->pid(), "/cgroup"));
  ASSERT_TRUE(cgroups.ok()) << cgroups.status();
  for (const std::string& line : Lines(*cgroups)) {
    EXPECT_TRUE(absl::EndsWith(line, ":/hull/" + id)) << line;
  }
  EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), SizeIs(hierarchies.size()));

  ASSERT_EQ(Hull({"kill", id, "KILL"}).exit_code, 0);
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");
  HullResult deleted = Hull({"delete", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), IsEmpty());
}

// Without a pid namespace of its own, the init's child outlives it in the
// cgroup: as runc's destroy does, delete kills it (clients_test has the
// kill --all side).
TEST_F(CgroupsTest, ProcessesLeftInTheCgroupAreKilledByDelete) {
  config::Spec spec = Spec(Sh("sleep 1000 & echo $! > /share/child"));
  RemoveNamespace(spec, "pid");
  const std::string id = NewId();
  ASSERT_TRUE(StartContainer(spec, id));
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");
  pid_t child;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(WaitForShared("child")), &child));
  ASSERT_FALSE(ProcessIsDead(child));

  HullResult deleted = Hull({"delete", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_TRUE(Eventually([&] { return ProcessIsDead(child); }));
  EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), IsEmpty());
}

// Two containers under one parent the first one made: deleting the first
// leaves the parent (busy) to the second. (Deleting the second then does not
// remove the parent it did not make: the teardown does.)
TEST_F(CgroupsTest, DeletingAContainerKeepsTheParentAnotherUses) {
  const std::string parent = NewCgroupParent();
  const std::string first = NewId();
  const std::string second = NewId();
  for (const std::string& id : {first, second}) {
    config::Spec spec = Spec({"sleep", "1000"});
    spec.mutable_linux()->set_cgroups_path(absl::StrCat(parent, "/", id));
    ASSERT_TRUE(StartContainer(spec, id));
  }
  const size_t hierarchies = CgroupHierarchies().size();
  ASSERT_THAT(ExistingCgroupDirectories(absl::StrCat(parent, "/", second)), SizeIs(hierarchies));

  HullResult deleted = Hull({"delete", "-f", first});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(ExistingCgroupDirectories(absl::StrCat(parent, "/", first)), IsEmpty());
  EXPECT_THAT(ExistingCgroupDirectories(absl::StrCat(parent, "/", second)), SizeIs(hierarchies));
  absl::StatusOr<runtime::OciState> state = State(second);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "running");

  deleted = Hull({"delete", "-f", second});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(ExistingCgroupDirectories(absl::StrCat(parent, "/", second)), IsEmpty());
}

// The other order: the maker of the parent, deleted last, removes it.
TEST_F(CgroupsTest, DeletingTheLastContainerRemovesTheParentItMade) {
  const std::string parent = NewCgroupParent();
  const std::string first = NewId();
  const std::string second = NewId();
  for (const std::string& id : {first, second}) {
    config::Spec spec = Spec({"sleep", "1000"});
    spec.mutable_linux()->set_cgroups_path(absl::StrCat(parent, "/", id));
    ASSERT_TRUE(StartContainer(spec, id));
  }
  ASSERT_THAT(ExistingCgroupDirectories(parent), SizeIs(CgroupHierarchies().size()));
  for (const std::string& id : {second, first}) {
    HullResult deleted = Hull({"delete", "-f", id});
    ASSERT_EQ(deleted.exit_code, 0) << deleted;
  }
  EXPECT_THAT(ExistingCgroupDirectories(parent), IsEmpty());
}

// --- bad input ----------------------------------------------------------------

// Controllers this host has not mounted, v2-only settings, and (the last
// case) a value only the kernel refuses, after the cgroups were made.
TEST_F(CgroupsTest, ResourceTheHostCannotApplyFailsCreateAndLeavesNothing) {
  struct Case {
    const char* resources;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]})",
            R"(linux.resources.hugepageLimits: the "hugetlb" cgroup controller is not mounted)"},
           {R"({"network": {"classID": 1}})",
            R"(linux.resources.network.classID: the "net_cls" cgroup controller is not mounted)"},
           {R"({"network": {"priorities": [{"name": "lo", "priority": 1}]}})",
            R"(linux.resources.network.priorities: the "net_prio" cgroup controller)"},
           {R"({"rdma": {"mlx5_0": {"hcaHandles": 1}}})",
            R"(linux.resources.rdma: the "rdma" cgroup controller is not mounted)"},
           {R"({"unified": {"memory.max": "1000000"}})",
            "linux.resources.unified: unified resources require cgroup v2"},
           {R"({"pids": {"limit": 10}, "blockIO": {"leafWeight": 100}})",
            "linux.resources.blockIO.leafWeight: this kernel has no blkio.leaf_weight"},
           {R"({"pids": {"limit": 10}, "cpu": {"cpus": "1023"}})", "cpuset.cpus: "},
       }) {
    SCOPED_TRACE(c.resources);
    config::Spec spec = Spec({"true"});
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                    c.resources, spec.mutable_linux()->mutable_resources())
                    .ok());
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string id = NewId();
    HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
    EXPECT_EQ(created.exit_code, 1) << created;
    EXPECT_THAT(created.err, HasSubstr(c.error)) << created;
    EXPECT_FALSE(Exists(absl::StrCat(root(), "/", id))) << "state directory left";
    EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), IsEmpty());
    EXPECT_THAT(LeftoverProcesses({(*bundle)->path(), (*bundle)->rootfs()}, root()), IsEmpty());
  }
}

TEST_F(CgroupsTest, OutOfRangeValuesAreRefusedBeforeAnythingIsCreated) {
  struct Case {
    void (*set)(config::Resources&);
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {[](config::Resources& r) { r.mutable_cpu()->set_cpus("0-"); },
            "linux.resources.cpu.cpus"},
           // (A quota without a period is accepted, as runc does:
           // clients_test.)
           {[](config::Resources& r) {
              r.mutable_cpu()->set_quota(10000);
              r.mutable_cpu()->set_period(100000);
              r.mutable_cpu()->set_burst(20000);
            },
            "linux.resources.cpu.burst"},
           {[](config::Resources& r) { r.mutable_memory()->set_swappiness(200); },
            "linux.resources.memory.swappiness"},
       }) {
    SCOPED_TRACE(c.error);
    config::Spec spec = Spec({"true"});
    c.set(*spec.mutable_linux()->mutable_resources());
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string id = NewId();
    HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
    EXPECT_EQ(created.exit_code, 1) << created;
    EXPECT_THAT(created.err, HasSubstr(c.error)) << created;
    EXPECT_FALSE(Exists(absl::StrCat(root(), "/", id))) << "state directory left";
    EXPECT_THAT(ExistingCgroupDirectories("/hull/" + id), IsEmpty());
  }
}

}  // namespace
}  // namespace hull::testing
