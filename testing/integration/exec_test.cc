// `hull exec` as runc's users and clients (podman exec, ctr task exec) drive
// it, proven from inside the container: the exec'd process is in the init's
// namespaces and cgroup, with the user, environment, cwd and capabilities
// asked for, and its exit code comes back.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ExecTest : public HullTest {
 protected:
  // A running container whose init sleeps; its id.
  std::string StartSleeper(config::Spec spec = ContainerSpec({"sleep", "1000"})) {
    const std::string id = NewId();
    EXPECT_TRUE(CreateContainer(spec, id));
    HullResult started = Hull({"start", id});
    EXPECT_EQ(started.exit_code, 0) << started;
    return id;
  }

  HullResult Exec(const std::string& id, const std::vector<std::string>& command,
                  const std::vector<std::string>& flags = {}, const HullOptions& options = {}) {
    std::vector<std::string> args = {"exec"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(id);
    args.insert(args.end(), command.begin(), command.end());
    return Hull(args, options);
  }
};

TEST_F(ExecTest, TheProcessSharesTheInitsNamespacesAndCgroups) {
  const std::string id = StartSleeper();
  // Each namespace and the cgroup of the exec'd shell ($$) against those of
  // the init (pid 1 in the container's pid namespace).
  HullResult result = Exec(id, Sh("for ns in cgroup ipc mnt net pid uts user time; do "
                                  "  [ \"$(readlink /proc/$$/ns/$ns)\" = \"$(readlink /proc/1/ns/$ns)\" ] "
                                  "    || echo \"differs: $ns\"; "
                                  "done; "
                                  "[ \"$(cat /proc/$$/cgroup)\" = \"$(cat /proc/1/cgroup)\" ] "
                                  "  || echo 'differs: cgroup'; "
                                  "echo pid $$; hostname"));
  ASSERT_EQ(result.exit_code, 0) << result;
  // Not pid 1 and not a host pid: the container's pid namespace.
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 2u) << result;
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripPrefix(lines[0], "pid "), &pid)) << result;
  EXPECT_GT(pid, 1);
  EXPECT_LT(pid, 100);
  EXPECT_EQ(lines[1], "hull") << result;  // runc spec's hostname, the container's UTS namespace
}

TEST_F(ExecTest, ExitCodesPassThrough) {
  const std::string id = StartSleeper();
  EXPECT_EQ(Exec(id, {"true"}).exit_code, 0);
  EXPECT_EQ(Exec(id, Sh("exit 3")).exit_code, 3);
  EXPECT_EQ(Exec(id, Sh("kill -9 $$")).exit_code, 137);
}

TEST_F(ExecTest, UserEnvironmentCwdAndCapabilitiesAreAsAsked) {
  const std::string id = StartSleeper();
  HullResult result = Exec(id, Sh("id -u; id -g; id -G; echo $FOO; pwd"),
                           {"--user", "1000:1000", "-g", "10", "--env", "FOO=bar", "--cwd", "/tmp"});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("1000", "1000", "1000 10", "bar", "/tmp")) << result;

  // --cap adds to the bounding, effective and permitted sets.
  HullResult capabilities =
      Exec(id, {"grep", "^CapEff", "/proc/self/status"}, {"--cap", "CAP_SYS_ADMIN"});
  ASSERT_EQ(capabilities.exit_code, 0) << capabilities;
  // runc spec's default effective set (AUDIT_WRITE, KILL, NET_BIND_SERVICE) and SYS_ADMIN.
  EXPECT_EQ(capabilities.out, "CapEff:\t0000000020200420\n") << capabilities;

  HullResult no_new_privs = Exec(id, {"grep", "^NoNewPrivs", "/proc/self/status"});
  EXPECT_EQ(no_new_privs.out, "NoNewPrivs:\t1\n") << no_new_privs;  // runc spec's config says so
}

TEST_F(ExecTest, AProcessJsonReplacesTheContainersProcess) {
  const std::string id = StartSleeper();
  absl::StatusOr<std::string> dir = MakeTempDir("process");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(WriteFile(*dir + "/process.json",
                        R"({"user": {"uid": 7, "gid": 8}, "args": ["sh", "-c", "id -u; id -g; echo $X"],
                            "env": ["X=from-json", "PATH=/bin"], "cwd": "/"})")
                  .ok());
  HullResult result = Hull({"exec", "-p", *dir + "/process.json", id});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("7", "8", "from-json")) << result;
}

TEST_F(ExecTest, DetachedTheProcessOutlivesHullAndIsReparented) {
  const std::string id = StartSleeper();
  absl::StatusOr<std::string> dir = MakeTempDir("detach");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string pid_file = *dir + "/exec.pid";
  HullResult result = Exec(id, {"sleep", "1000"}, {"--detach", "--pid-file", pid_file});
  ASSERT_EQ(result.exit_code, 0) << result;
  absl::StatusOr<std::string> pid_text = ReadFile(pid_file);
  ASSERT_TRUE(pid_text.ok()) << pid_text.status();
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*pid_text, &pid)) << *pid_text;
  EXPECT_FALSE(ProcessIsDead(pid));
  // hull has exited: its child went to the nearest subreaper, this test.
  absl::StatusOr<std::string> status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, HasSubstr(absl::StrCat("\nPPid:\t", getpid(), "\n")));
  // It is the container's: `ps` lists it, and `kill --all` ends it.
  HullResult ps = Hull({"ps", "--format", "json", id});
  EXPECT_THAT(ParsePidList(ps.out), ::testing::Contains(pid)) << ps;
  EXPECT_EQ(Hull({"kill", "--all", id, "KILL"}).exit_code, 0);
  // Its subreaper reaps it, as conmon and containerd's shim do: until then
  // the container's init cannot finish dying (the kernel waits for every
  // process of its pid namespace to be reaped).
  EXPECT_EQ(waitpid(pid, nullptr, 0), pid);
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
}

TEST_F(ExecTest, PreserveFdsPassesExactlyThatManyFds) {
  const std::string id = StartSleeper();
  absl::StatusOr<std::string> dir = MakeTempDir("fds");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(WriteFile(*dir + "/three", "through fd 3\n").ok());
  UniqueFd three(open((*dir + "/three").c_str(), O_RDONLY | O_CLOEXEC));
  UniqueFd four(open((*dir + "/three").c_str(), O_RDONLY | O_CLOEXEC));
  HullResult result = Exec(id, Sh("cat <&3; cat <&4 || echo no-fd-4"), {"--preserve-fds", "1"},
                           {.extra_fds = {three.get(), four.get()}});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("through fd 3", "no-fd-4")) << result;
}

TEST_F(ExecTest, PausedIsRefusedUnlessIgnorePausedAndStoppedIsRefused) {
  const std::string id = StartSleeper();
  ASSERT_EQ(Hull({"pause", id}).exit_code, 0);
  HullResult paused = Exec(id, {"true"});
  EXPECT_EQ(paused.exit_code, 1) << paused;
  EXPECT_THAT(paused.err, HasSubstr("cannot exec in a paused container")) << paused;
  ASSERT_EQ(Hull({"resume", id}).exit_code, 0);
  ASSERT_EQ(Hull({"kill", id, "KILL"}).exit_code, 0);
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  HullResult stopped = Exec(id, {"true"});
  EXPECT_EQ(stopped.exit_code, 1) << stopped;
  EXPECT_THAT(stopped.err, HasSubstr("is stopped: cannot exec")) << stopped;
}

TEST_F(ExecTest, AFailingExecSaysWhyAndLeavesNoProcess) {
  const std::string id = StartSleeper();
  HullResult missing = Exec(id, {"/no/such/program"});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_THAT(missing.err, HasSubstr("exec'd process failed to find the executable")) << missing;
  HullResult bad_cwd = Exec(id, {"true"}, {"--cwd", "relative"});
  EXPECT_EQ(bad_cwd.exit_code, 1) << bad_cwd;
  EXPECT_THAT(bad_cwd.err, HasSubstr("process.cwd")) << bad_cwd;
  // Only the init is left in the container.
  HullResult ps = Hull({"ps", "--format", "json", id});
  EXPECT_THAT(ParsePidList(ps.out), ::testing::SizeIs(1)) << ps;
}

TEST_F(ExecTest, ExecInAUserNamespace) {
  config::Spec spec = ContainerSpec({"sleep", "1000"});
  UseUserNamespace(spec, 100000, 65536);
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  ASSERT_TRUE(Create(**bundle, id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult result = Exec(id, Sh("id -u; cat /proc/self/uid_map"));
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 2u) << result;
  EXPECT_EQ(lines[0], "0");
  EXPECT_THAT(absl::StrSplit(lines[1], ' ', absl::SkipEmpty()), ElementsAre("0", "100000", "65536"));
}

}  // namespace
}  // namespace hull::testing
