// The hook runner against real hooks (/bin/sh scripts), as an ordinary user:
// what a hook gets (stdin, argv, environment, working directory, signal state,
// fds) and how each way of failing reads.
#include "runtime/hooks/hooks.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::hooks {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MakeTempDir;
using ::hull::testing::ReadFile;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPath[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

// `/bin/sh -c script` with a PATH (hooks get exactly the environment given).
config::Hook Shell(const std::string& script) {
  config::Hook hook;
  hook.set_path("/bin/sh");
  for (const char* arg : {"sh", "-c"}) hook.add_args(arg);
  hook.add_args(script);
  hook.add_env(kPath);
  return hook;
}

// True when the caller has no child left to reap: the runner reaped its hook.
bool NoChildLeft() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("hook");
    ASSERT_THAT(dir, IsOk());
    dir_ = *dir;
  }
  void TearDown() override { EXPECT_TRUE(NoChildLeft()); }

  std::string File(const std::string& name) const { return absl::StrCat(dir_, "/", name); }

  std::string dir_;
};

TEST_F(HooksTest, GetsTheStateOnStdinItsArgvAndExactlyItsEnvironment) {
  config::Hook hook;
  hook.set_path("/bin/sh");
  const std::string script =
      absl::StrCat("cat > ", File("stdin"), "; cat /proc/$$/cmdline > ", File("cmdline"),
                   "; cat /proc/$$/environ > ", File("environ"));
  for (const std::string& arg : {std::string("my-hook"), std::string("-c"), script}) {
    hook.add_args(arg);
  }
  hook.add_env(kPath);
  hook.add_env("HOOK_VALUE=two words");
  const std::string state = R"({"ociVersion":"1.2.0","id":"c1","status":"creating"})";

  ASSERT_THAT(RunHook(hook, state), IsOk());
  EXPECT_EQ(ReadFile(File("stdin")).value_or(""), state);
  EXPECT_EQ(ReadFile(File("cmdline")).value_or(""),
            absl::StrCat("my-hook", std::string(1, '\0'), "-c", std::string(1, '\0'), script,
                         std::string(1, '\0')));
  EXPECT_EQ(
      ReadFile(File("environ")).value_or(""),
      absl::StrCat(kPath, std::string(1, '\0'), "HOOK_VALUE=two words", std::string(1, '\0')));
}

// Without args the path is argv[0]: /bin/sh then reads its script from
// stdin, the state here.
TEST_F(HooksTest, WithoutArgsThePathIsArgv0) {
  config::Hook hook;
  hook.set_path("/bin/sh");
  ASSERT_THAT(RunHook(hook, absl::StrCat("printf %s \"$0\" > ", File("argv0"))), IsOk());
  EXPECT_EQ(ReadFile(File("argv0")).value_or(""), "/bin/sh");
}

TEST_F(HooksTest, AnEmptyEnvironmentIsEmpty) {
  config::Hook hook;
  hook.set_path("/bin/sh");
  for (const std::string& arg : {std::string("sh"), std::string("-c"),
                                 absl::StrCat("cat /proc/$$/environ > ", File("environ"))}) {
    hook.add_args(arg);
  }
  ASSERT_THAT(RunHook(hook, "{}"), IsOk());
  EXPECT_EQ(ReadFile(File("environ")).value_or("unread"), "");
}

TEST_F(HooksTest, RunsInTheWorkingDirectoryGiven) {
  ASSERT_THAT(
      RunHook(Shell(absl::StrCat("pwd > ", File("cwd"))), "{}", {.working_directory = dir_}),
      IsOk());
  EXPECT_EQ(ReadFile(File("cwd")).value_or(""), dir_ + "\n");
}

TEST_F(HooksTest, AMissingWorkingDirectoryFailsTheHook) {
  const std::string missing = File("missing");
  EXPECT_THAT(RunHook(Shell("true"), "{}", {.working_directory = missing}),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("chdir ", missing, ": no such file or directory")));
}

TEST_F(HooksTest, ANonZeroExitFailsWithTheHooksOutput) {
  EXPECT_THAT(RunHook(Shell("echo out; echo err >&2; exit 3"), "{}"),
              StatusIs(absl::StatusCode::kAborted,
                       "error running hook: exit status 3, stdout: out\n, stderr: err\n"));
}

TEST_F(HooksTest, ADeathBySignalFailsWithGosWords) {
  EXPECT_THAT(RunHook(Shell("kill -TERM $$"), "{}"),
              StatusIs(absl::StatusCode::kAborted,
                       "error running hook: signal: terminated, stdout: , stderr: "));
}

TEST_F(HooksTest, AMissingProgramFailsAsRuncSaysIt) {
  config::Hook hook;
  hook.set_path("/nonexistent/hook");
  EXPECT_THAT(RunHook(hook, "{}"),
              StatusIs(absl::StatusCode::kNotFound,
                       "fork/exec /nonexistent/hook: no such file or directory"));
}

// Even for root: execve needs an x bit.
TEST_F(HooksTest, ANonExecutableProgramFails) {
  ASSERT_THAT(WriteFile(File("script"), "#!/bin/sh\n"), IsOk());
  ASSERT_EQ(chmod(File("script").c_str(), 0644), 0) << strerror(errno);
  config::Hook hook;
  hook.set_path(File("script"));
  EXPECT_THAT(RunHook(hook, "{}"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("fork/exec ", File("script"), ": permission denied")));
}

TEST_F(HooksTest, AHookPastItsTimeoutIsKilled) {
  config::Hook hook = Shell("echo started; exec sleep 100");
  hook.set_timeout(1);
  const absl::Time start = absl::Now();
  const absl::Status ran = RunHook(hook, "{}");
  const absl::Duration took = absl::Now() - start;
  EXPECT_THAT(ran,
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       "hook ran past specified timeout of 1.0s, stdout: started\n, stderr: "));
  EXPECT_GE(took, absl::Seconds(1));
  EXPECT_LT(took, absl::Seconds(10));
}

TEST_F(HooksTest, AHookWithinItsTimeoutSucceeds) {
  config::Hook hook = Shell("true");
  hook.set_timeout(30);
  EXPECT_THAT(RunHook(hook, "{}"), IsOk());
}

// Once the hook exits it is done, even if a process it started keeps its
// stdout open.
TEST_F(HooksTest, DoesNotWaitForWhatTheHookLeftRunning) {
  const absl::Time start = absl::Now();
  ASSERT_THAT(RunHook(Shell(absl::StrCat("sleep 100 & echo $! > ", File("pid"))), "{}"), IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  int pid = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(File("pid")).value_or("")), &pid));
  EXPECT_EQ(kill(pid, SIGKILL), 0) << "the sleep was left running: " << strerror(errno);
}

TEST_F(HooksTest, StartsWithDefaultSignalsAndNoneBlocked) {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_usr1;
  ASSERT_EQ(sigaction(SIGUSR1, &ignore, &old_usr1), 0);
  sigset_t blocked;
  sigset_t old_mask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGUSR2);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, &old_mask), 0);

  const absl::Status ran = RunHook(
      Shell(absl::StrCat("exec grep -E '^Sig(Blk|Ign)' /proc/self/status > ", File("signals"))),
      "{}");

  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  sigaction(SIGUSR1, &old_usr1, nullptr);
  ASSERT_THAT(ran, IsOk());
  EXPECT_EQ(ReadFile(File("signals")).value_or(""),
            "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_F(HooksTest, InheritsNoFdButStdio) {
  // Not close-on-exec: only the runner can keep it from the hook. Above the
  // fds the runner itself places (3 is its exec-failure pipe).
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(null, 0) << strerror(errno);
  const int leaked = fcntl(null, F_DUPFD, 20);
  close(null);
  ASSERT_GE(leaked, 20) << strerror(errno);
  const absl::Status ran =
      RunHook(Shell(absl::StrCat("for fd in $(seq 3 ", leaked + 8,
                                 "); do [ -e /proc/$$/fd/$fd ] && echo open: $fd; done; exit 1")),
              "{}");
  close(leaked);
  EXPECT_THAT(ran, StatusIs(absl::StatusCode::kAborted,
                            "error running hook: exit status 1, stdout: , stderr: "));
}

// A state larger than a pipe holds (64 KiB) still reaches the hook whole.
TEST_F(HooksTest, PassesAStateLargerThanAPipe) {
  const std::string state(200 * 1024, 'x');
  ASSERT_THAT(RunHook(Shell(absl::StrCat("cat > ", File("stdin"))), state), IsOk());
  EXPECT_EQ(ReadFile(File("stdin")).value_or(""), state);
}

TEST_F(HooksTest, AHookThatDoesNotReadItsStdinStillRuns) {
  EXPECT_THAT(RunHook(Shell("true"), std::string(100 * 1024, 'x')), IsOk());
}

TEST_F(HooksTest, TheErrorKeepsTheEndOfALongOutput) {
  const absl::Status ran =
      RunHook(Shell("head -c 100000 /dev/zero | tr '\\0' a; echo; echo END; exit 1"), "{}");
  ASSERT_EQ(ran.code(), absl::StatusCode::kAborted) << ran;
  const std::string message(ran.message());
  EXPECT_THAT(message,
              StartsWith("error running hook: exit status 1, stdout: [83621 bytes before] aaa"));
  EXPECT_THAT(message, EndsWith("aaa\nEND\n, stderr: "));
  EXPECT_LT(message.size(), 17 * 1024u);
}

TEST_F(HooksTest, RunHooksRunsThemInOrderAndStopsAtTheFirstFailure) {
  HookList hooks;
  *hooks.Add() = Shell(absl::StrCat("echo first >> ", File("ran")));
  *hooks.Add() = Shell(absl::StrCat("echo second >> ", File("ran"), "; echo why >&2; exit 2"));
  *hooks.Add() = Shell(absl::StrCat("echo third >> ", File("ran")));
  EXPECT_THAT(RunHooks("createRuntime", hooks, "{}"),
              StatusIs(absl::StatusCode::kAborted,
                       "error running createRuntime hook #1: error running hook: exit status 2, "
                       "stdout: , stderr: why\n"));
  EXPECT_EQ(ReadFile(File("ran")).value_or(""), "first\nsecond\n");
}

TEST_F(HooksTest, RunHooksOfAnEmptyListDoesNothing) {
  EXPECT_THAT(RunHooks("prestart", HookList(), "{}"), IsOk());
}

// Collects the warnings glog records.
class WarningSink : public google::LogSink {
 public:
  void send(google::LogSeverity severity, const char*, const char*, int, const struct ::tm*,
            const char* message, size_t message_len) override {
    if (severity == google::GLOG_WARNING) warnings.emplace_back(message, message_len);
  }
  std::vector<std::string> warnings;
};

TEST_F(HooksTest, WarningOnFailureRunsEveryHookAndLogsEachFailure) {
  HookList hooks;
  *hooks.Add() = Shell("exit 1");
  *hooks.Add() = Shell(absl::StrCat("echo second >> ", File("ran")));
  hooks.Add()->set_path("/nonexistent/hook");
  *hooks.Add() = Shell(absl::StrCat("echo fourth >> ", File("ran")));
  WarningSink sink;
  google::AddLogSink(&sink);
  RunHooksWarningOnFailure("poststart", hooks, "{}");
  google::RemoveLogSink(&sink);
  EXPECT_EQ(ReadFile(File("ran")).value_or(""), "second\nfourth\n");
  EXPECT_THAT(sink.warnings,
              ElementsAre("error running poststart hook #0: error running hook: exit status 1, "
                          "stdout: , stderr: ",
                          "error running poststart hook #2: fork/exec /nonexistent/hook: no such "
                          "file or directory"));
}

}  // namespace
}  // namespace hull::hooks
