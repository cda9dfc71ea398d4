// linux.seccomp, proven from inside real containers: a rule's errno, KILL's
// SIGSYS, ENOSYS for calls newer than the profile, conditions on arguments,
// the filter of `hull exec`'d processes, a filter loaded without
// no_new_privs for an unprivileged user, and a seccomp agent (a thread of
// this test) that receives the listener as runc sends it and answers the
// container's notified calls.
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/fd.h"
#include "base/fd_passing.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/seccomp/profile_builder.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"
#include "testing/unix_listener.h"

namespace hull::testing {
namespace {

using ::hull::runtime::seccomp::AddArg;
using ::hull::runtime::seccomp::AddRule;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// The probe in the test's runfiles (a data dependency).
constexpr char kSyscallProbe[] = "testing/integration/syscall_probe";

// The native number of `name`, as a probe argument.
std::string Nr(const char* name) { return absl::StrCat(seccomp_syscall_resolve_name(name)); }

// `/bin/syscall_probe NR ARGS...` as a shell command.
std::string Probe(const char* name, const std::string& args = "") {
  return absl::StrCat("/bin/syscall_probe ", Nr(name), args.empty() ? "" : " ", args);
}

config::Seccomp& Profile(config::Spec& spec, const char* default_action) {
  config::Seccomp& seccomp = *spec.mutable_linux()->mutable_seccomp();
  seccomp.set_default_action(default_action);
  return seccomp;
}

class SeccompTest : public HullTest {
 protected:
  // A bundle of `spec` whose rootfs has the probe at /bin/syscall_probe.
  Bundle* BundleWithProbe(const config::Spec& spec) {
    absl::StatusOr<Bundle*> bundle =
        MakeBundleWithProgram(spec, kSyscallProbe, "/bin/syscall_probe");
    EXPECT_TRUE(bundle.ok()) << bundle.status() << " (the probe is a data dependency)";
    return bundle.value_or(nullptr);
  }

  HullResult RunWithProbe(const config::Spec& spec) {
    Bundle* bundle = BundleWithProbe(spec);
    if (bundle == nullptr) return {};
    return RunBundle(*bundle);
  }

  // A running container of `spec` (its init sleeps), with the probe; its id.
  std::string StartSleeperWithProbe(config::Spec spec) {
    spec.mutable_process()->clear_args();
    spec.mutable_process()->add_args("sleep");
    spec.mutable_process()->add_args("1000");
    const std::string id = NewId();
    Bundle* bundle = BundleWithProbe(spec);
    if (bundle == nullptr) return id;
    EXPECT_TRUE(Create(*bundle, id));
    HullResult started = Hull({"start", id});
    EXPECT_EQ(started.exit_code, 0) << started;
    return id;
  }
};

TEST_F(SeccompTest, AnErrnoRuleFailsTheCallWithItsErrno) {
  config::Spec spec = ContainerSpec(Sh(absl::StrCat(
      "mkdir /tmp/made; echo mkdir=$?; ", Probe("getppid"), "; ", Probe("getuid"))));
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  AddRule(seccomp, {"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO").set_errno_ret(ENOSYS);
  AddRule(seccomp, {"getppid"}, "SCMP_ACT_ERRNO");  // no errnoRet: EPERM
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("mkdir=1", "errno 1", "ok 0")) << result;
  EXPECT_THAT(result.err, HasSubstr("can't create directory '/tmp/made': Function not implemented"));
}

TEST_F(SeccompTest, KillEndsTheProcessWithSigsys) {
  // Calls neither busybox's sh nor Hull's init makes.
  config::Spec spec = ContainerSpec(Sh(absl::StrCat(
      Probe("getitimer"), "; echo status=$?; ", Probe("sched_yield"), "; echo status=$?; ",
      Probe("getgid"))));
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  AddRule(seccomp, {"getitimer"}, "SCMP_ACT_KILL");
  AddRule(seccomp, {"sched_yield"}, "SCMP_ACT_KILL_PROCESS");
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  // 128 + SIGSYS (31), twice; the call no rule names goes through.
  EXPECT_THAT(Lines(result.out), ElementsAre("status=159", "status=159", "ok 0")) << result;
}

TEST_F(SeccompTest, TrapTraceAndLog) {
  config::Spec spec = ContainerSpec(Sh(absl::StrCat(
      Probe("getitimer"), "; echo status=$?; ", Probe("sched_yield"), "; ", Probe("getgid"))));
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  AddRule(seccomp, {"getitimer"}, "SCMP_ACT_TRAP");  // SIGSYS, not handled: it ends the process
  AddRule(seccomp, {"sched_yield"}, "SCMP_ACT_LOG");
  AddRule(seccomp, {"getgid"}, "SCMP_ACT_TRACE");  // no tracer: the kernel answers ENOSYS
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("status=159", "ok 0", "errno 38")) << result;
}

TEST_F(SeccompTest, OneFilterWithItsFlags) {
  config::Spec spec = ContainerSpec({"grep", "^Seccomp", "/proc/self/status"});
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  seccomp.add_flags("SECCOMP_FILTER_FLAG_TSYNC");
  seccomp.add_flags("SECCOMP_FILTER_FLAG_LOG");
  seccomp.add_flags("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
  AddRule(seccomp, {"getppid"}, "SCMP_ACT_ERRNO");
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  // Mode 2: filter.
  EXPECT_THAT(Lines(result.out), ElementsAre("Seccomp:\t2", "Seccomp_filters:\t1")) << result;
}

TEST_F(SeccompTest, CallsNewerThanTheProfileGetEnosysOlderOnesTheDefault) {
  // An allow-list of every call up to close_range, getppid left out, and a
  // default of EPERM: close_range is the newest the profile names.
  config::Spec spec = ContainerSpec(Sh(absl::StrCat(
      Probe("getppid"), "; ", Probe("openat2"), "; /bin/syscall_probe 1000; ", Probe("getuid"))));
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ERRNO");
  config::Syscall& allowed = AddRule(seccomp, {}, "SCMP_ACT_ALLOW");
  const int newest = seccomp_syscall_resolve_name("close_range");
  ASSERT_GT(newest, 0);
  for (int nr = 0; nr <= newest; ++nr) {
    char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (name == nullptr) continue;
    if (strcmp(name, "getppid") != 0) allowed.add_names(name);
    free(name);
  }
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("errno 1", "errno 38", "errno 38", "ok 0")) << result;
}

TEST_F(SeccompTest, ArgumentConditions) {
  config::Spec spec = ContainerSpec(Sh(absl::StrCat(
      // kill: pid 1 AND signal 0. Pid 30000 does not exist (ESRCH, 3).
      Probe("kill", "1 0"), "; ", Probe("kill", "30000 0"), "; ",
      // getpriority: which 5 OR which 7 (one argument twice: one rule each,
      // as runc makes them); 6 is no `which` (EINVAL, 22).
      Probe("getpriority", "5 0"), "; ", Probe("getpriority", "7 0"), "; ",
      Probe("getpriority", "6 0"), "; ",
      // umask: the owner's bits all set (masked).
      Probe("umask", "0700"), "; ", Probe("umask", "0077"), "; ",
      // setpgid: pgid greater than 5 (0: a group of its own).
      Probe("setpgid", "0 0"), "; ", Probe("setpgid", "0 6"))));
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  config::Syscall& kill = AddRule(seccomp, {"kill"}, "SCMP_ACT_ERRNO");
  kill.set_errno_ret(99);
  AddArg(kill, 0, "SCMP_CMP_EQ", 1);
  AddArg(kill, 1, "SCMP_CMP_EQ", 0);
  config::Syscall& getpriority = AddRule(seccomp, {"getpriority"}, "SCMP_ACT_ERRNO");
  getpriority.set_errno_ret(98);
  AddArg(getpriority, 0, "SCMP_CMP_EQ", 5);
  AddArg(getpriority, 0, "SCMP_CMP_EQ", 7);
  config::Syscall& umask = AddRule(seccomp, {"umask"}, "SCMP_ACT_ERRNO");
  umask.set_errno_ret(97);
  AddArg(umask, 0, "SCMP_CMP_MASKED_EQ", 0700, 0700);
  config::Syscall& setpgid = AddRule(seccomp, {"setpgid"}, "SCMP_ACT_ERRNO");
  setpgid.set_errno_ret(96);
  AddArg(setpgid, 1, "SCMP_CMP_GT", 5);
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out),
              ElementsAre("errno 99", "errno 3", "errno 98", "errno 98", "errno 22", "errno 97",
                          "ok 18", "ok 0", "errno 96"))
      << result;
}

// Without no_new_privs, loading a filter takes CAP_SYS_ADMIN, which runc's
// default capabilities do not give the process: it is loaded before the
// switch to the user and the capability sets.
TEST_F(SeccompTest, WithoutNoNewPrivsTheFilterIsLoadedBeforeTheUserSwitch) {
  config::Spec spec = ContainerSpec(Sh("id -u; mkdir /tmp/made; echo mkdir=$?"));
  spec.mutable_process()->set_no_new_privileges(false);
  spec.mutable_process()->mutable_user()->set_uid(1000);
  spec.mutable_process()->mutable_user()->set_gid(1000);
  AddRule(Profile(spec, "SCMP_ACT_ALLOW"), {"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO")
      .set_errno_ret(ENOSYS);
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("1000", "mkdir=1")) << result;
  EXPECT_THAT(result.err, HasSubstr("Function not implemented"));
}

TEST_F(SeccompTest, ExecdProcessesGetTheContainersFilter) {
  config::Spec spec = ContainerSpec({});
  spec.mutable_process()->set_no_new_privileges(false);
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  AddRule(seccomp, {"getppid"}, "SCMP_ACT_ERRNO").set_errno_ret(77);
  AddRule(seccomp, {"sched_yield"}, "SCMP_ACT_KILL");
  const std::string id = StartSleeperWithProbe(spec);
  HullResult probed = Hull({"exec", id, "/bin/syscall_probe", Nr("getppid")});
  ASSERT_EQ(probed.exit_code, 0) << probed;
  EXPECT_EQ(probed.out, "errno 77\n");
  // Without no_new_privs, as another user: loaded while privileged.
  HullResult privileged = Hull({"exec", "--user", "1000", id, "/bin/syscall_probe", Nr("getppid")});
  ASSERT_EQ(privileged.exit_code, 0) << privileged;
  EXPECT_EQ(privileged.out, "errno 77\n");
  // With it: loaded last.
  HullResult killed = Hull({"exec", "--no-new-privs", id, "/bin/syscall_probe", Nr("sched_yield")});
  EXPECT_EQ(killed.exit_code, 128 + SIGSYS) << killed;
}

// A seccomp agent: accepts the launcher's connections on a unix socket,
// keeps each message (the process's state) and answers every notification
// of each listener with success, without making the call.
class SeccompAgent {
 public:
  explicit SeccompAgent(UnixListener socket)
      : socket_(std::move(socket)), thread_([this] { Serve(); }) {}
  ~SeccompAgent() {
    stop_ = true;
    thread_.join();
  }

  const UnixListener& socket() const { return socket_; }
  std::vector<std::string> states() {
    absl::MutexLock lock(&mutex_);
    return states_;
  }
  // The notified calls answered, by number.
  std::vector<int> answered() {
    absl::MutexLock lock(&mutex_);
    return answered_;
  }

 private:
  void Serve() {
    std::vector<UniqueFd> listeners;
    while (!stop_) {
      std::vector<pollfd> fds = {{.fd = socket_.fd(), .events = POLLIN}};
      for (const UniqueFd& listener : listeners) {
        fds.push_back({.fd = listener.get(), .events = POLLIN});
      }
      if (poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) Accept(listeners);
      for (size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents & POLLIN) Answer(fds[i].fd);
        if (fds[i].revents & (POLLHUP | POLLERR)) listeners[i - 1].Reset();  // no task left
      }
      std::erase_if(listeners, [](const UniqueFd& fd) { return !fd.valid(); });
    }
  }

  void Accept(std::vector<UniqueFd>& listeners) {
    absl::StatusOr<UniqueFd> connection = socket_.Accept();
    if (!connection.ok()) return;
    absl::StatusOr<ReceivedMessage> message = ReceiveWithFds(connection->get(), 1 << 16, 4);
    if (!message.ok() || message->fds.size() != 1) return;
    absl::MutexLock lock(&mutex_);
    states_.push_back(message->data);
    listeners.push_back(std::move(message->fds[0]));
  }

  void Answer(int listener) {
    seccomp_notif request{};
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) return;
    seccomp_notif_resp response{.id = request.id, .val = 0, .error = 0, .flags = 0};
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) != 0) return;
    absl::MutexLock lock(&mutex_);
    answered_.push_back(request.data.nr);
  }

  UnixListener socket_;
  std::atomic<bool> stop_ = false;
  absl::Mutex mutex_;
  std::vector<std::string> states_ ABSL_GUARDED_BY(mutex_);
  std::vector<int> answered_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;  // last: it uses the members above
};

class SeccompAgentTest : public SeccompTest {
 protected:
  void SetUp() override {
    SeccompTest::SetUp();
    absl::StatusOr<UnixListener> socket = UnixListener::Create("agent.sock");
    ASSERT_TRUE(socket.ok()) << socket.status();
    agent_.emplace(*std::move(socket));
  }
  void TearDown() override {
    SeccompTest::TearDown();
    agent_.reset();
  }

  // A profile notifying mkdir to the agent.
  void NotifyMkdir(config::Spec& spec) {
    config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
    seccomp.set_listener_path(agent_->socket().path());
    seccomp.set_listener_metadata("from-the-test");
    AddRule(seccomp, {"mkdir", "mkdirat"}, "SCMP_ACT_NOTIFY");
  }

  // mkdir, which the agent answers with success without making anything.
  static constexpr char kMkdirScript[] =
      "mkdir /tmp/made && echo mkdir said yes; [ -d /tmp/made ] && echo made || echo not made";

  std::optional<SeccompAgent> agent_;
};

TEST_F(SeccompAgentTest, TheAgentAnswersTheContainersNotifiedCalls) {
  config::Spec spec = ContainerSpec(Sh(kMkdirScript));
  NotifyMkdir(spec);
  HullResult result = RunWithProbe(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("mkdir said yes", "not made")) << result;
  const std::vector<std::string> states = agent_->states();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_THAT(states[0], HasSubstr(R"({"ociVersion":"1.2.0","fds":["seccompFd"],"pid":)"));
  EXPECT_THAT(states[0], HasSubstr(R"("metadata":"from-the-test","state":{"ociVersion":"1.2.0",)"));
  EXPECT_THAT(states[0], HasSubstr(R"("status":"creating")"));
  EXPECT_THAT(agent_->answered(), Not(::testing::IsEmpty()));
}

TEST_F(SeccompAgentTest, ExecdProcessesHandTheirListenerToo) {
  config::Spec spec = ContainerSpec({});
  NotifyMkdir(spec);
  const std::string id = StartSleeperWithProbe(spec);
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  HullResult result = Hull({"exec", id, "sh", "-c", kMkdirScript});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ElementsAre("mkdir said yes", "not made")) << result;
  const std::vector<std::string> states = agent_->states();
  ASSERT_EQ(states.size(), 2u);  // the init's, then the exec'd process's
  EXPECT_THAT(states[0], HasSubstr(absl::StrCat(R"("pid":)", state->pid(), R"(,"metadata")")));
  EXPECT_THAT(states[1], HasSubstr(R"("status":"running")"));
  EXPECT_THAT(states[1], HasSubstr(absl::StrCat(R"("pid":)", state->pid(), R"(,"bundle")")));
  EXPECT_THAT(states[1], Not(HasSubstr(absl::StrCat(R"("pid":)", state->pid(), R"(,"metadata")"))));
}

TEST_F(SeccompAgentTest, NoAgentListeningFailsCreateNamingThePath) {
  config::Spec spec = ContainerSpec({"true"});
  NotifyMkdir(spec);
  const std::string nobody = agent_->socket().directory() + "/nobody.sock";
  spec.mutable_linux()->mutable_seccomp()->set_listener_path(nobody);
  HullResult result = RunWithProbe(spec);
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat("seccomp agent at linux.seccomp.listenerPath \"",
                                                 nobody, "\": connect")));
}

TEST_F(SeccompTest, AFieldHullCannotHonourIsRefusedNamingIt) {
  config::Spec spec = ContainerSpec({"true"});
  config::Seccomp& seccomp = Profile(spec, "SCMP_ACT_ALLOW");
  AddRule(seccomp, {"sendmsg"}, "SCMP_ACT_NOTIFY");
  HullResult result = RunContainer(spec);
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr("linux.seccomp.syscalls[0].names[0]: SCMP_ACT_NOTIFY cannot "
                                    "be used for sendmsg (the runtime needs it)"));
  EXPECT_THAT(result.err, HasSubstr("linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs "
                                    "linux.seccomp.listenerPath"));
}

}  // namespace
}  // namespace hull::testing
