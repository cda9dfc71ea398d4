// The container's process: identity, capabilities, limits, environment and
// what `create` passes to it, as the process itself sees them.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// The capability numbers the tests use (linux/capability.h).
constexpr int kCapChown = 0;
constexpr int kCapKill = 5;
constexpr int kCapSetuid = 7;
constexpr int kCapNetBindService = 10;
constexpr int kCapAuditWrite = 29;

uint64_t Mask(std::initializer_list<int> capabilities) {
  uint64_t mask = 0;
  for (int capability : capabilities) mask |= uint64_t{1} << capability;
  return mask;
}

void SetCapabilities(config::Spec& spec) {
  config::Capabilities& caps = *spec.mutable_process()->mutable_capabilities();
  caps.Clear();
  for (const char* name :
       {"CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"}) {
    caps.add_bounding(name);
  }
  for (const char* name : {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"}) {
    caps.add_permitted(name);
    caps.add_effective(name);
  }
  caps.add_inheritable("CAP_KILL");
  caps.add_ambient("CAP_KILL");
}

// The Cap* lines of /proc/self/status: name -> mask.
std::map<std::string, uint64_t> ParseCapabilities(const std::string& status) {
  std::map<std::string, uint64_t> sets;
  for (const std::string& line : Lines(status)) {
    std::vector<std::string> fields =
        absl::StrSplit(line, absl::ByAnyChar(":\t "), absl::SkipEmpty());
    uint64_t mask;
    if (fields.size() == 2 && absl::SimpleHexAtoi(fields[1], &mask)) sets[fields[0]] = mask;
  }
  return sets;
}

using ProcessTest = HullTest;

TEST_F(ProcessTest, UidGidAndAdditionalGids) {
  config::Spec spec = ContainerSpec({"id"});
  config::User& user = *spec.mutable_process()->mutable_user();
  user.set_uid(1000);
  user.set_gid(1000);
  user.add_additional_gids(1);  // daemon
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> fields =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(result.out), ' ');
  ASSERT_EQ(fields.size(), 3u) << result;
  EXPECT_EQ(fields[0], "uid=1000(user)");
  EXPECT_EQ(fields[1], "gid=1000(user)");
  // Exactly the additional gids: as with runc, the user's memberships in the
  // rootfs's /etc/group (audio) are not added when process.user names a gid.
  EXPECT_EQ(fields[2], "groups=1(daemon)") << result;
}

// process.user has numbers only: the user's name and HOME come from the
// rootfs's /etc/passwd through the uid.
TEST_F(ProcessTest, UserNameAndHomeComeFromPasswd) {
  config::Spec spec = ContainerSpec({"sh", "-c", "whoami; echo $HOME"});
  spec.mutable_process()->mutable_user()->set_uid(1000);
  spec.mutable_process()->mutable_user()->set_gid(1000);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("user", "/home/user")) << result;
}

TEST_F(ProcessTest, UidWithoutPasswdEntryRuns) {
  config::Spec spec = ContainerSpec({"sh", "-c", "id -u; id -g; echo $HOME"});
  spec.mutable_process()->mutable_user()->set_uid(4321);
  spec.mutable_process()->mutable_user()->set_gid(4321);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("4321", "4321", "/")) << result;
}

// As root with no_new_privs, execve keeps the configured permitted set (the
// kernel would otherwise give root the whole bounding set).
TEST_F(ProcessTest, CapabilitiesAsRootAreTheConfiguredSets) {
  config::Spec spec = ContainerSpec({"grep", "^Cap", "/proc/self/status"});
  SetCapabilities(spec);
  ASSERT_TRUE(spec.process().no_new_privileges());
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::map<std::string, uint64_t> sets = ParseCapabilities(result.out);
  const uint64_t permitted = Mask({kCapChown, kCapKill, kCapNetBindService});
  EXPECT_EQ(sets["CapBnd"],
            Mask({kCapChown, kCapKill, kCapSetuid, kCapNetBindService, kCapAuditWrite}))
      << result;
  EXPECT_EQ(sets["CapPrm"], permitted) << result;
  EXPECT_EQ(sets["CapEff"], permitted) << result;
  EXPECT_EQ(sets["CapInh"], Mask({kCapKill})) << result;
  EXPECT_EQ(sets["CapAmb"], Mask({kCapKill})) << result;
}

// A non-root user keeps across execve what is ambient, nothing else.
TEST_F(ProcessTest, CapabilitiesAsUserAreTheAmbientSet) {
  config::Spec spec = ContainerSpec({"grep", "^Cap", "/proc/self/status"});
  SetCapabilities(spec);
  spec.mutable_process()->mutable_user()->set_uid(1000);
  spec.mutable_process()->mutable_user()->set_gid(1000);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::map<std::string, uint64_t> sets = ParseCapabilities(result.out);
  EXPECT_EQ(sets["CapBnd"],
            Mask({kCapChown, kCapKill, kCapSetuid, kCapNetBindService, kCapAuditWrite}))
      << result;
  EXPECT_EQ(sets["CapPrm"], Mask({kCapKill})) << result;
  EXPECT_EQ(sets["CapEff"], Mask({kCapKill})) << result;
  EXPECT_EQ(sets["CapInh"], Mask({kCapKill})) << result;
  EXPECT_EQ(sets["CapAmb"], Mask({kCapKill})) << result;
}

TEST_F(ProcessTest, NoNewPrivileges) {
  for (bool no_new_privileges : {true, false}) {
    config::Spec spec = ContainerSpec({"grep", "^NoNewPrivs", "/proc/self/status"});
    spec.mutable_process()->set_no_new_privileges(no_new_privileges);
    HullResult result = RunContainer(spec);
    ASSERT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(result.out, absl::StrCat("NoNewPrivs:\t", no_new_privileges ? 1 : 0, "\n")) << result;
  }
}

// A launcher started from nohup or a daemon ignores and blocks signals;
// both survive execve, so a container would inherit them (and could not even
// trap SIGINT). The container's process must start with none.
TEST_F(ProcessTest, SignalsTheLauncherIgnoresOrBlocksAreNotTheContainers) {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_actions[3];
  const int ignored[] = {SIGPIPE, SIGTERM, SIGINT};
  for (int i = 0; i < 3; ++i) ASSERT_EQ(sigaction(ignored[i], &ignore, &old_actions[i]), 0);
  sigset_t blocked, old_mask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGUSR1);
  sigaddset(&blocked, SIGHUP);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, &old_mask), 0);

  HullResult result = RunContainer(ContainerSpec({"grep", "-E", "^Sig(Blk|Ign)", "/proc/1/status"}));

  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  for (int i = 0; i < 3; ++i) sigaction(ignored[i], &old_actions[i], nullptr);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n") << result;
}

TEST_F(ProcessTest, RlimitNofile) {
  config::Spec spec = ContainerSpec({"sh", "-c", "ulimit -n; ulimit -Hn"});
  spec.mutable_process()->clear_rlimits();
  config::Rlimit* nofile = spec.mutable_process()->add_rlimits();
  nofile->set_type("RLIMIT_NOFILE");
  nofile->set_soft(333);
  nofile->set_hard(777);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("333", "777")) << result;
}

TEST_F(ProcessTest, Umask) {
  config::Spec spec = ContainerSpec({"sh", "-c", "umask"});
  spec.mutable_process()->mutable_user()->set_umask(027);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "0027\n") << result;
}

TEST_F(ProcessTest, WorkingDirectory) {
  config::Spec spec = ContainerSpec({"pwd"});
  spec.mutable_process()->set_cwd("/home/user");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "/home/user\n") << result;
}

// As runc does (docker run -w relies on it): a missing cwd is created, by
// root, before the root filesystem turns read-only.
TEST_F(ProcessTest, MissingWorkingDirectoryIsCreated) {
  config::Spec spec = ContainerSpec({"sh", "-c", "pwd; stat -c '%u %a' ."});
  spec.mutable_process()->set_cwd("/work/dir");
  spec.mutable_process()->mutable_user()->set_uid(1000);
  spec.mutable_process()->mutable_user()->set_gid(1000);
  ASSERT_TRUE(spec.root().readonly());
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("/work/dir", "0 755")) << result;
}

TEST_F(ProcessTest, EnvironmentIsTheConfiguredOnePlusHome) {
  config::Spec spec = ContainerSpec({"env"});
  spec.mutable_process()->clear_env();
  spec.mutable_process()->add_env("PATH=/bin");
  spec.mutable_process()->add_env("GREETING=hello world");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out),
              UnorderedElementsAre("PATH=/bin", "GREETING=hello world", "HOME=/root"))
      << result;
}

TEST_F(ProcessTest, OomScoreAdj) {
  config::Spec spec = ContainerSpec({"cat", "/proc/self/oom_score_adj"});
  spec.mutable_process()->set_oom_score_adj(123);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "123\n") << result;
}

TEST_F(ProcessTest, SysctlInTheContainersNetworkNamespace) {
  // ip_default_ttl is per network namespace and starts at 64 in a new one
  // whatever the host's is (ip_forward, by contrast, is copied from the host's).
  absl::StatusOr<std::string> host_before = ReadFile("/proc/sys/net/ipv4/ip_default_ttl");
  ASSERT_TRUE(host_before.ok()) << host_before.status();
  ASSERT_NE(*host_before, "99\n") << "pick a value the host does not have";
  config::Spec spec = ContainerSpec({"cat", "/proc/sys/net/ipv4/ip_default_ttl"});
  HullResult without = RunContainer(spec);
  ASSERT_EQ(without.exit_code, 0) << without;
  EXPECT_EQ(without.out, "64\n") << without;
  // The sysctl changes it there only.
  (*spec.mutable_linux()->mutable_sysctl())["net.ipv4.ip_default_ttl"] = "99";
  HullResult with = RunContainer(spec);
  ASSERT_EQ(with.exit_code, 0) << with;
  EXPECT_EQ(with.out, "99\n") << with;
  EXPECT_EQ(ReadFile("/proc/sys/net/ipv4/ip_default_ttl").value_or("?"), *host_before);
}

TEST_F(ProcessTest, SessionKeyringIsTheContainersUnlessNoNewKeyring) {
  config::Spec spec = ContainerSpec({"cat", "/proc/keys"});
  // runc's default config masks /proc/keys.
  auto* masked = spec.mutable_linux()->mutable_masked_paths();
  masked->erase(std::remove(masked->begin(), masked->end(), "/proc/keys"), masked->end());
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();

  const std::string id = NewId();
  HullResult result = Hull({"run", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(" _ses.", id, ": "))) << result;

  const std::string other_id = NewId();
  HullResult kept = Hull({"run", "--no-new-keyring", "--bundle", (*bundle)->path(), other_id});
  ASSERT_EQ(kept.exit_code, 0) << kept;
  EXPECT_THAT(kept.out, Not(HasSubstr(absl::StrCat("_ses.", other_id)))) << kept;
}

TEST_F(ProcessTest, PreserveFdsPassesExactlyThatManyFds) {
  absl::StatusOr<std::string> dir = MakeTempDir("fds");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(WriteFile(*dir + "/three", "through fd 3\n").ok());
  ASSERT_TRUE(WriteFile(*dir + "/four", "through fd 4\n").ok());
  UniqueFd three(open((*dir + "/three").c_str(), O_RDONLY | O_CLOEXEC));
  UniqueFd four(open((*dir + "/four").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(three.valid() && four.valid());

  // hull gets both as 3 and 4 and is told to pass one on.
  config::Spec spec = ContainerSpec({"sh", "-c", "cat <&3; cat <&4 || echo no-fd-4"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult result = Hull({"run", "--preserve-fds", "1", "--bundle", (*bundle)->path(), NewId()},
                           {.extra_fds = {three.get(), four.get()}});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("through fd 3", "no-fd-4")) << result;
}

TEST_F(ProcessTest, PidFileNamesTheInitsHostPid) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"sleep", "1000"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string pid_file = (*bundle)->path() + "/init.pid";
  const std::string id = NewId();
  ASSERT_TRUE(Create(**bundle, id, {"--pid-file", pid_file}));
  absl::StatusOr<std::string> text = ReadFile(pid_file);
  ASSERT_TRUE(text.ok()) << text.status();
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*text, &pid)) << *text;

  // The kernel says: pid 1 of its own namespace...
  absl::StatusOr<std::string> status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, HasSubstr(absl::StrCat("\nNSpid:\t", pid, "\t1\n")));
  // ...that runs the container's process once started.
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  const std::string sleep_cmdline("sleep\0001000\000", 11);
  std::string cmdline;
  // The init execs right after start returns.
  Eventually(
      [&] {
        cmdline = ReadFile(absl::StrCat("/proc/", pid, "/cmdline")).value_or("");
        return cmdline == sleep_cmdline;
      },
      absl::Seconds(5));
  EXPECT_EQ(cmdline, sleep_cmdline);
}

}  // namespace
}  // namespace hull::testing
