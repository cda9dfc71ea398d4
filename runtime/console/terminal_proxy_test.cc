// The relay over two real ptys, without root: the caller's terminal (whose
// master the test types into and reads, as a terminal emulator would) and
// the process's pty, whose slave a forked responder answers on.
#include "runtime/console/terminal_proxy.h"

#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "testing/status_matchers.h"
#include "testing/terminal_user.h"

namespace hull::console {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::OpenPtyPair;
using ::hull::testing::PtyPair;
using ::hull::testing::TerminalUser;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

void Say(const std::string& line) { (void)!write(STDOUT_FILENO, line.data(), line.size()); }

// The process on the pty (its slave as stdio), answering one line at a
// time: "size" with the pty's size, "started" with its size when the process
// started, "mode" with whether the caller's terminal (`caller`) is raw,
// "exit N" with "bye" and exit status N.
[[noreturn]] void Respond(int slave, int caller) {
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) dup2(slave, fd);
  struct winsize started = {};
  ioctl(STDIN_FILENO, TIOCGWINSZ, &started);
  char line[256];
  while (true) {
    const ssize_t n = read(STDIN_FILENO, line, sizeof(line) - 1);  // canonical: one line
    if (n <= 0) _exit(100);
    line[n] = '\0';
    struct winsize size = {};
    termios settings = {};
    int code = 0;
    if (strncmp(line, "size", 4) == 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) {
      Say(absl::StrCat("size ", size.ws_row, " ", size.ws_col, "\n"));
    } else if (strncmp(line, "started", 7) == 0) {
      Say(absl::StrCat("started ", started.ws_row, " ", started.ws_col, "\n"));
    } else if (strncmp(line, "mode", 4) == 0 && tcgetattr(caller, &settings) == 0) {
      const bool raw =
          (settings.c_lflag & (ICANON | ECHO | ISIG)) == 0 && (settings.c_oflag & OPOST) != 0;
      Say(absl::StrCat("caller raw=", raw ? 1 : 0, "\n"));
    } else if (sscanf(line, "exit %d", &code) == 1) {
      Say("bye\n");
      _exit(code);
    }
  }
}

TEST(TerminalProxyTest, RelaysTheProcessesPtyToTheCallersTerminal) {
  absl::StatusOr<PtyPair> caller = OpenPtyPair();
  absl::StatusOr<PtyPair> process_pty = OpenPtyPair();
  ASSERT_THAT(caller, IsOk());
  ASSERT_THAT(process_pty, IsOk());
  struct winsize initial = {.ws_row = 33, .ws_col = 101, .ws_xpixel = 0, .ws_ypixel = 0};
  ASSERT_EQ(ioctl(caller->master.get(), TIOCSWINSZ, &initial), 0);
  termios before;
  ASSERT_EQ(tcgetattr(caller->slave.get(), &before), 0);

  // As hull's foreground run: the signals blocked before any thread exists,
  // read from a signalfd.
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGWINCH);
  sigaddset(&blocked, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, &previous), 0);
  UniqueFd signals(signalfd(-1, &blocked, SFD_CLOEXEC));
  ASSERT_TRUE(signals.valid()) << strerror(errno);

  // Started before the process runs.
  std::optional<TerminalProxy> proxy;
  {
    absl::StatusOr<TerminalProxy> started =
        TerminalProxy::Start({.master = process_pty->master.get(),
                              .in = caller->slave.get(),
                              .out = caller->slave.get()});
    ASSERT_THAT(started, IsOk());
    proxy.emplace(*std::move(started));
  }
  const pid_t responder = fork();
  ASSERT_GE(responder, 0) << strerror(errno);
  if (responder == 0) Respond(process_pty->slave.get(), caller->slave.get());
  process_pty->slave.Reset();  // the responder holds the only copy
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(responder);
  ASSERT_THAT(pidfd, IsOk());

  TerminalUser user(caller->master.get());
  std::thread conversation([&] {
    // The relay copied the caller's size before the process started.
    EXPECT_TRUE(user.Type("started\r"));
    EXPECT_TRUE(user.WaitFor("started 33 101\r\n")) << user.shown();
    // A resized terminal signals SIGWINCH; the relay follows.
    struct winsize resized = {.ws_row = 40, .ws_col = 120, .ws_xpixel = 0, .ws_ypixel = 0};
    EXPECT_EQ(ioctl(caller->master.get(), TIOCSWINSZ, &resized), 0);
    kill(getpid(), SIGWINCH);
    bool followed = false;
    for (int attempt = 0; attempt < 50 && !followed; ++attempt) {
      EXPECT_TRUE(user.Type("size\r"));
      followed = user.WaitFor("size 40 120\r\n", absl::Milliseconds(200));
    }
    EXPECT_TRUE(followed) << user.shown();
    kill(getpid(), SIGUSR1);
    EXPECT_TRUE(user.Type("mode\r"));
    EXPECT_TRUE(user.WaitFor("caller raw=1\r\n")) << user.shown();
    EXPECT_TRUE(user.Type("exit 3\r"));
    EXPECT_TRUE(user.WaitFor("bye\r\n")) << user.shown();
    if (::testing::Test::HasFailure()) kill(responder, SIGKILL);
  });

  std::vector<int> forwarded;
  EXPECT_THAT(proxy->RelayUntilExit(pidfd->get(), signals.get(),
                                    [&](int signal) { forwarded.push_back(signal); }),
              IsOk());
  conversation.join();
  proxy.reset();

  int status = 0;
  ASSERT_EQ(waitpid(responder, &status, 0), responder);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_THAT(forwarded, ElementsAre(SIGUSR1));
  // The pty's ONLCR was off: the one CR in each line is the caller's own.
  EXPECT_THAT(user.shown(), Not(HasSubstr("\r\r\n")));
  // The caller's terminal is as it was.
  termios after;
  ASSERT_EQ(tcgetattr(caller->slave.get(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
  ASSERT_EQ(sigprocmask(SIG_SETMASK, &previous, nullptr), 0);
}

// Without a terminal (stdin a pipe at its end, stdout a pipe), the relay
// still carries the output and ends with the process.
TEST(TerminalProxyTest, PipesInsteadOfATerminal) {
  absl::StatusOr<PtyPair> process_pty = OpenPtyPair();
  ASSERT_THAT(process_pty, IsOk());
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  UniqueFd in_read(in[0]), in_write(in[1]), out_read(out[0]), out_write(out[1]);
  ASSERT_EQ(write(in_write.get(), "exit 5\n", 7), 7);
  in_write.Reset();  // and then the end of input

  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGUSR2);
  UniqueFd signals(signalfd(-1, &blocked, SFD_CLOEXEC));
  ASSERT_TRUE(signals.valid());
  absl::StatusOr<TerminalProxy> proxy = TerminalProxy::Start(
      {.master = process_pty->master.get(), .in = in_read.get(), .out = out_write.get()});
  ASSERT_THAT(proxy, IsOk());

  const pid_t responder = fork();
  ASSERT_GE(responder, 0);
  if (responder == 0) Respond(process_pty->slave.get(), -1);
  process_pty->slave.Reset();
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(responder);
  ASSERT_THAT(pidfd, IsOk());
  EXPECT_THAT(proxy->RelayUntilExit(pidfd->get(), signals.get(), [](int) {}), IsOk());
  out_write.Reset();
  int status = 0;
  ASSERT_EQ(waitpid(responder, &status, 0), responder);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 5);
  std::string shown;
  char buffer[256];
  for (ssize_t n; (n = read(out_read.get(), buffer, sizeof(buffer))) > 0;) shown.append(buffer, n);
  // The pty's echo of the line, then the answer, each with a bare LF.
  EXPECT_EQ(shown, "exit 5\nbye\n");
}

}  // namespace
}  // namespace hull::console
