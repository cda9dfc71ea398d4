// Namespaces, as the container's own processes see them.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// The clock probe in the test's runfiles (a data dependency).
constexpr char kClockProbe[] = "testing/integration/clock_probe";

// What /proc/<pid>/ns/<type> names, e.g. "uts:[4026531838]".
std::string NamespaceOf(const std::string& pid, const std::string& type) {
  char target[256];
  ssize_t n = readlink(absl::StrCat("/proc/", pid, "/ns/", type).c_str(), target, sizeof(target));
  return n < 0 ? "" : std::string(target, n);
}

// The whitespace-separated fields of `text`.
std::vector<std::string> Fields(const std::string& text) {
  return absl::StrSplit(text, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
}

int64_t MonotonicSeconds() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec;
}

// A process alone in a new UTS namespace with hostname `name`; killed and
// reaped with the object.
class UtsNamespaceHolder {
 public:
  explicit UtsNamespaceHolder(const char* name) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      if (unshare(CLONE_NEWUTS) != 0 || sethostname(name, strlen(name)) != 0) _exit(1);
      (void)!write(ready[1], "r", 1);
      while (true) pause();
    }
    close(ready[1]);
    char byte;
    ready_ = pid_ > 0 && read(ready[0], &byte, 1) == 1;
    close(ready[0]);
  }
  ~UtsNamespaceHolder() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  bool ready() const { return ready_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

class NamespacesTest : public HullTest {
 protected:
  // Creates (does not start) container `id` from a bundle any user may reach
  // (its root may run as an id the host does not own): its init's host pid.
  absl::StatusOr<std::string> CreateForItsPid(const config::Spec& spec, const std::string& id) {
    absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
    if (!bundle.ok()) return bundle.status();
    if (::testing::AssertionResult created = Create(**bundle, id); !created) {
      return absl::InternalError(created.message());
    }
    absl::StatusOr<runtime::OciState> state = State(id);
    if (!state.ok()) return state.status();
    return absl::StrCat(state->pid());
  }

  // A pod's first container: it sleeps in a user namespace of its own (0 ->
  // 100000, 65536 ids) that the test's others join. Its init's host pid.
  absl::StatusOr<std::string> CreatePod(const std::string& id) {
    config::Spec pod = ContainerSpec({"sleep", "1000"});
    UseUserNamespace(pod, /*host_id=*/100000, /*size=*/65536);
    return CreateForItsPid(pod, id);
  }
};

TEST_F(NamespacesTest, HostnameIsTheConfiguredOne) {
  config::Spec spec = ContainerSpec({"hostname"});
  spec.set_hostname("integration-box");
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "integration-box\n") << result;
}

TEST_F(NamespacesTest, ProcessIsPidOne) {
  HullResult result = RunContainer(ContainerSpec({"sh", "-c", "echo $$"}));
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "1\n") << result;
}

TEST_F(NamespacesTest, PsSeesOnlyTheContainersProcesses) {
  // `; true` keeps sh (pid 1) alive beside ps.
  HullResult result = RunContainer(ContainerSpec({"sh", "-c", "ps -o pid,comm; true"}));
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(3)) << "ps inside should list its header, sh and ps: " << result;
  EXPECT_THAT(Fields(lines[1]), ElementsAre("1", "sh")) << result;
  EXPECT_THAT(Fields(lines[2]), ElementsAre(::testing::_, "ps")) << result;
}

TEST_F(NamespacesTest, NewNetworkNamespaceHasOnlyLoopbackAndItIsUp) {
  // Otherwise "only lo" could not tell a new namespace from the host's.
  absl::StatusOr<std::string> host_devices = ReadFile("/proc/net/dev");
  ASSERT_TRUE(host_devices.ok()) << host_devices.status();
  ASSERT_THAT(*host_devices, HasSubstr("eth0:")) << "the host should have more than lo";

  HullResult result =
      RunContainer(ContainerSpec({"sh", "-c", "ls /sys/class/net; cat /sys/class/net/lo/flags"}));
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(2)) << result;
  EXPECT_EQ(lines[0], "lo") << result;
  int flags = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(lines[1], &flags)) << result;
  EXPECT_NE(flags & 0x1, 0) << "IFF_UP is not set on lo: " << lines[1];
}

TEST_F(NamespacesTest, NamespacesDifferFromTheHosts) {
  const std::vector<std::string> types = {"ipc", "uts", "cgroup", "time", "net", "pid", "mnt"};
  config::Spec spec = ContainerSpec(
      {"sh", "-c", "for n in ipc uts cgroup time net pid mnt; do readlink /proc/self/ns/$n; done"});
  // runc's default config has no cgroup or time namespace.
  SetNamespace(spec, "cgroup", "");
  SetNamespace(spec, "time", "");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> inside = Lines(result.out);
  ASSERT_THAT(inside, SizeIs(types.size())) << result;
  for (size_t i = 0; i < types.size(); ++i) {
    const std::string host = NamespaceOf("self", types[i]);
    ASSERT_THAT(host, HasSubstr(types[i]));
    EXPECT_THAT(inside[i], HasSubstr(types[i] + ":[")) << result;
    EXPECT_NE(inside[i], host) << "the container shares the host's " << types[i] << " namespace";
  }
}

TEST_F(NamespacesTest, JoinsAUtsNamespaceByPath) {
  UtsNamespaceHolder holder("joined-holder");
  ASSERT_TRUE(holder.ready()) << "could not start a process in a new UTS namespace";
  const std::string pid = absl::StrCat(holder.pid());
  config::Spec spec = ContainerSpec({"sh", "-c", "hostname; readlink /proc/self/ns/uts"});
  SetNamespace(spec, "uts", absl::StrCat("/proc/", pid, "/ns/uts"));
  spec.clear_hostname();  // the joined namespace keeps its own
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("joined-holder", NamespaceOf(pid, "uts"))) << result;
}

TEST_F(NamespacesTest, JoinsTheNetworkNamespaceOfAnotherContainer) {
  const std::string first_id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), first_id));
  absl::StatusOr<runtime::OciState> state = State(first_id);
  ASSERT_TRUE(state.ok()) << state.status();
  const std::string first_pid = absl::StrCat(state->pid());
  const std::string first_net = NamespaceOf(first_pid, "net");
  ASSERT_NE(first_net, NamespaceOf("self", "net"));

  config::Spec spec = ContainerSpec({"readlink", "/proc/self/ns/net"});
  SetNamespace(spec, "network", absl::StrCat("/proc/", first_pid, "/ns/net"));
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, first_net + "\n") << result;
}

TEST_F(NamespacesTest, TimeOffsetsShiftTheContainersClocks) {
  config::Spec spec = ContainerSpec({"sh", "-c", "cat /proc/uptime; /bin/clock_probe"});
  SetNamespace(spec, "time", "");
  auto& offsets = *spec.mutable_linux()->mutable_time_offsets();
  offsets["monotonic"].set_secs(100000);
  offsets["boottime"].set_secs(200000);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const absl::Status installed = (*bundle)->InstallProgram(kClockProbe, "/bin/clock_probe");
  ASSERT_TRUE(installed.ok()) << installed << " (a data dependency of the test)";

  const int64_t host_before = MonotonicSeconds();
  HullResult result = RunBundle(**bundle);
  const int64_t host_after = MonotonicSeconds();
  ASSERT_EQ(result.exit_code, 0) << result;
  // "UPTIME IDLE", "monotonic S", "boottime S".
  std::vector<std::string> fields = Fields(result.out);
  ASSERT_THAT(fields, SizeIs(6)) << result;
  double uptime = 0;
  int64_t monotonic = 0;
  int64_t boottime = 0;
  ASSERT_TRUE(absl::SimpleAtod(fields[0], &uptime)) << result;
  ASSERT_TRUE(fields[2] == "monotonic" && absl::SimpleAtoi(fields[3], &monotonic)) << result;
  ASSERT_TRUE(fields[4] == "boottime" && absl::SimpleAtoi(fields[5], &boottime)) << result;
  EXPECT_GE(uptime, 200000) << "/proc/uptime follows CLOCK_BOOTTIME: " << result;
  EXPECT_GE(boottime, 200000) << result;
  EXPECT_GE(monotonic, host_before + 100000) << result;
  EXPECT_LE(monotonic, host_after + 100000) << result;
}

TEST_F(NamespacesTest, UserNamespaceMapsRootToTheConfiguredRange) {
  config::Spec spec = ContainerSpec(
      {"sh", "-c",
       "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /etc/passwd"});
  UseUserNamespace(spec, /*host_id=*/100000, /*size=*/65536);
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  // Owned by host root, which the namespace does not map.
  struct stat passwd;
  ASSERT_EQ(stat(((*bundle)->rootfs() + "/etc/passwd").c_str(), &passwd), 0);
  ASSERT_EQ(passwd.st_uid, 0u);
  absl::StatusOr<std::string> overflow_uid = ReadFile("/proc/sys/kernel/overflowuid");
  absl::StatusOr<std::string> overflow_gid = ReadFile("/proc/sys/kernel/overflowgid");
  ASSERT_TRUE(overflow_uid.ok() && overflow_gid.ok());

  HullResult result = RunBundle(**bundle);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(5)) << result;
  EXPECT_EQ(lines[0], "0") << result;
  EXPECT_EQ(lines[1], "0") << result;
  EXPECT_THAT(Fields(lines[2]), ElementsAre("0", "100000", "65536")) << result;
  EXPECT_THAT(Fields(lines[3]), ElementsAre("0", "100000", "65536")) << result;
  EXPECT_EQ(lines[4], absl::StrCat(absl::StripAsciiWhitespace(*overflow_uid), ":",
                                   absl::StripAsciiWhitespace(*overflow_gid)))
      << result;
}

// As a pod's containers join the pod's user namespace while making their
// own mount, pid, uts and ipc namespaces: those are created after the join
// (an intermediate process joins, then clones the init), so they are owned
// by the joined user namespace, and the container is its root.
TEST_F(NamespacesTest, JoinsAUserNamespaceAndMakesTheOthersInIt) {
  const std::string pod_id = NewId();
  absl::StatusOr<std::string> pod = CreatePod(pod_id);
  ASSERT_TRUE(pod.ok()) << pod.status();
  const std::string& pod_pid = *pod;

  config::Spec spec = ContainerSpec(
      {"sh", "-c",
       "readlink /proc/self/ns/user; id -u; cat /proc/self/uid_map; echo $$; hostname;"
       " mount -t tmpfs none /dev/shm && echo mounted"});
  SetNamespace(spec, "user", absl::StrCat("/proc/", pod_pid, "/ns/user"));
  spec.set_hostname("in-the-pod");
  // CAP_SYS_ADMIN in the joined user namespace mounts only in a mount
  // namespace that namespace owns.
  config::Capabilities& capabilities = *spec.mutable_process()->mutable_capabilities();
  for (auto* set : {capabilities.mutable_bounding(), capabilities.mutable_effective(),
                    capabilities.mutable_permitted()}) {
    set->Add("CAP_SYS_ADMIN");
  }
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string pod_user_namespace = NamespaceOf(pod_pid, "user");
  HullResult result = RunBundle(**bundle);
  EXPECT_EQ(Hull({"delete", "--force", pod_id}).exit_code, 0);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(6)) << result;
  EXPECT_EQ(lines[0], pod_user_namespace);
  EXPECT_EQ(lines[1], "0");
  EXPECT_THAT(Fields(lines[2]), ElementsAre("0", "100000", "65536"));
  EXPECT_EQ(lines[3], "1");
  EXPECT_EQ(lines[4], "in-the-pod");
  EXPECT_EQ(lines[5], "mounted");
}

// `exec` into such a container joins all of its namespaces, the user
// namespace first, and is root there.
TEST_F(NamespacesTest, ExecJoinsAContainerThatJoinedAUserNamespace) {
  const std::string pod_id = NewId();
  absl::StatusOr<std::string> pod = CreatePod(pod_id);
  ASSERT_TRUE(pod.ok()) << pod.status();
  const std::string& pod_pid = *pod;

  config::Spec spec = ContainerSpec({"sleep", "1000"});
  SetNamespace(spec, "user", absl::StrCat("/proc/", pod_pid, "/ns/user"));
  const std::string id = NewId();
  absl::StatusOr<std::string> container = CreateForItsPid(spec, id);
  ASSERT_TRUE(container.ok()) << container.status();
  const std::string& pid = *container;

  const std::vector<std::string> expected = {NamespaceOf(pod_pid, "user"), NamespaceOf(pid, "mnt"),
                                             NamespaceOf(pid, "pid"), "0"};
  HullResult exec = Hull({"exec", id, "sh", "-c",
                          "for ns in user mnt pid; do readlink /proc/self/ns/$ns; done; id -u"});
  EXPECT_EQ(Hull({"delete", "--force", id}).exit_code, 0);
  EXPECT_EQ(Hull({"delete", "--force", pod_id}).exit_code, 0);
  ASSERT_EQ(exec.exit_code, 0) << exec;
  EXPECT_EQ(Lines(exec.out), expected) << exec;
  EXPECT_NE(expected[1], NamespaceOf("self", "mnt"));
}

// A new user namespace in another container's network namespace: the join
// comes first (from inside its new user namespace the init could not).
TEST_F(NamespacesTest, MakesAUserNamespaceInAJoinedNetworkNamespace) {
  const std::string first_id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), first_id));
  absl::StatusOr<runtime::OciState> state = State(first_id);
  ASSERT_TRUE(state.ok()) << state.status();
  const std::string first_pid = absl::StrCat(state->pid());

  config::Spec spec =
      ContainerSpec({"sh", "-c", "readlink /proc/self/ns/net; cat /proc/self/uid_map"});
  SetNamespace(spec, "network", absl::StrCat("/proc/", first_pid, "/ns/net"));
  UseUserNamespace(spec, /*host_id=*/100000, /*size=*/65536);
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = RunBundle(**bundle);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(2)) << result;
  EXPECT_EQ(lines[0], NamespaceOf(first_pid, "net"));
  EXPECT_THAT(Fields(lines[1]), ElementsAre("0", "100000", "65536"));
}

}  // namespace
}  // namespace hull::testing
