// Terminals (process.terminal) as runc's users get them: the pty master
// sent to --console-socket (what podman's conmon and containerd's shim
// receive), and a foreground `hull run` relaying the container's terminal to
// its own; a detached container with a terminal and nowhere to send it is
// refused.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "testing/files.h"
#include "testing/integration/console_socket_listener.h"
#include "testing/integration/hull_harness.h"
#include "testing/terminal_user.h"

namespace hull::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// An interactive busybox shell with a terminal.
config::Spec ShellWithTerminal() {
  config::Spec spec = ContainerSpec({"sh"});
  spec.mutable_process()->set_terminal(true);
  return spec;
}

// The lines of `output` (a terminal's: CR LF), without their CRs.
std::vector<std::string> TerminalLines(absl::string_view output) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  return lines;
}

class TerminalTest : public HullTest {};

TEST_F(TerminalTest, TheConsoleSocketGetsAPtyOfTheContainersOwnDevpts) {
  absl::StatusOr<ConsoleSocketListener> listener = ConsoleSocketListener::Listen();
  ASSERT_TRUE(listener.ok()) << listener.status();
  config::Spec spec = ShellWithTerminal();
  spec.mutable_process()->mutable_console_size()->set_height(33);
  spec.mutable_process()->mutable_console_size()->set_width(101);
  spec.mutable_process()->mutable_user()->set_uid(1000);
  spec.mutable_process()->mutable_user()->set_gid(1000);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  ASSERT_TRUE(Create(**bundle, id, {"--console-socket", listener->path()}));
  absl::StatusOr<UniqueFd> master = listener->ReceiveMaster();
  ASSERT_TRUE(master.ok()) << master.status();

  // The first pty of a devpts that is not the host's.
  int number = -1;
  ASSERT_EQ(ioctl(master->get(), TIOCGPTN, &number), 0) << strerror(errno);
  EXPECT_EQ(number, 0);
  struct stat master_stat, host_pts;
  ASSERT_EQ(fstat(master->get(), &master_stat), 0);
  ASSERT_EQ(stat("/dev/pts", &host_pts), 0);
  EXPECT_NE(master_stat.st_dev, host_pts.st_dev);

  HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;
  TerminalUser user(master->get());
  ASSERT_TRUE(user.Type("tty; stty size; stat -c '%u %g %a %d:%i' $(tty) /dev/console; "
                        "ls -1 /dev/pts; echo hello > /dev/tty; echo E$((6*7))D\n"));
  ASSERT_TRUE(user.WaitFor("E42D\r\n")) << user.shown();
  const std::vector<std::string> lines = TerminalLines(user.LastOutput());
  EXPECT_THAT(lines, Contains("/dev/pts/0")) << user.shown();
  // process.consoleSize.
  EXPECT_THAT(lines, Contains("33 101")) << user.shown();
  // The slave: the user's (given to it before the switch), devpts's tty
  // group and mode; /dev/console is the same inode.
  std::vector<std::string> stats;
  for (const std::string& line : lines) {
    if (absl::StartsWith(line, "1000 5 620 ")) stats.push_back(line);
  }
  ASSERT_EQ(stats.size(), 2u) << user.shown();
  EXPECT_EQ(stats[0], stats[1]) << "/dev/console is not the pty";
  // The container's devpts holds this pty alone.
  EXPECT_THAT(lines, Contains("0"));
  EXPECT_THAT(lines, Contains("ptmx"));
  // /dev/tty opens the controlling terminal.
  EXPECT_THAT(lines, Contains("hello"));

  // ^C on the pty interrupts the shell's foreground job: the pty is the
  // session's controlling terminal.
  ASSERT_TRUE(user.Type("echo S$((1+2))T; sleep 30\n"));
  ASSERT_TRUE(user.WaitFor("S3T\r\n")) << user.shown();
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(user.Type("\x03"));
  ASSERT_TRUE(user.Type("echo A$((1+1))B\n"));
  EXPECT_TRUE(user.WaitFor("A2B\r\n", absl::Seconds(10))) << user.shown();

  ASSERT_TRUE(user.Type("exit 3\n"));
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  HullResult deleted = Hull({"delete", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
}

TEST_F(TerminalTest, AForegroundRunRelaysTheContainersTerminalToItsOwn) {
  absl::StatusOr<PtyPair> terminal = OpenPtyPair();
  ASSERT_TRUE(terminal.ok()) << terminal.status();
  struct winsize size = {.ws_row = 40, .ws_col = 120, .ws_xpixel = 0, .ws_ypixel = 0};
  ASSERT_EQ(ioctl(terminal->master.get(), TIOCSWINSZ, &size), 0);
  termios before;
  ASSERT_EQ(tcgetattr(terminal->slave.get(), &before), 0);
  config::Spec spec = ShellWithTerminal();
  // The caller's terminal's size wins over the config's.
  spec.mutable_process()->mutable_console_size()->set_height(33);
  spec.mutable_process()->mutable_console_size()->set_width(101);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();

  // hull in a session of its own whose controlling terminal is the test's
  // pty, as a shell would start it: stdin, stdout and stderr on it.
  std::vector<std::string> args = {HullBinary(), "--root",         root(), "run",
                                   "--bundle",   (*bundle)->path(), id};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int slave = terminal->slave.get();
  const pid_t hull = fork();
  ASSERT_GE(hull, 0) << strerror(errno);
  if (hull == 0) {
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0) _exit(126);
    for (int fd = 0; fd < 3; ++fd) {
      if (dup2(slave, fd) < 0) _exit(126);
    }
    if (close_range(3, ~0U, 0) != 0) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(hull);
  ASSERT_TRUE(pidfd.ok()) << pidfd.status();

  TerminalUser user(terminal->master.get());
  // Typed once the shell prompts: hull's terminal is raw by then.
  ASSERT_TRUE(user.WaitFor("/ # ")) << user.shown();
  ASSERT_TRUE(user.Type("stty size; echo E$((6*7))D\n"));
  ASSERT_TRUE(user.WaitFor("E42D\r\n")) << user.shown();
  EXPECT_THAT(TerminalLines(user.LastOutput()), Contains("40 120")) << user.shown();
  // hull's terminal is raw meanwhile: the container's pty edits and echoes.
  termios during;
  ASSERT_EQ(tcgetattr(terminal->slave.get(), &during), 0);
  EXPECT_EQ(during.c_lflag & (ICANON | ECHO | ISIG), 0u);
  EXPECT_NE(during.c_oflag & OPOST, 0u);

  // Resized: the kernel signals SIGWINCH to hull, which resizes the pty.
  // Each line is typed at the shell's prompt: what is typed while it turns
  // its line editing back on may be dropped. The marker is computed, so that
  // the echo of the typed line does not match it.
  size = {.ws_row = 50, .ws_col = 132, .ws_xpixel = 0, .ws_ypixel = 0};
  ASSERT_EQ(ioctl(terminal->master.get(), TIOCSWINSZ, &size), 0);
  bool resized = false;
  for (int attempt = 0; attempt < 20 && !resized; ++attempt) {
    ASSERT_TRUE(user.WaitFor("/ # ")) << user.shown();
    ASSERT_TRUE(user.Type(absl::StrCat("stty size; echo R$((", attempt, "+0))S\n")));
    ASSERT_TRUE(user.WaitFor(absl::StrCat("R", attempt, "S\r\n"))) << user.shown();
    resized = absl::c_linear_search(TerminalLines(user.LastOutput()), "50 132");
  }
  EXPECT_TRUE(resized) << user.shown();

  ASSERT_TRUE(user.WaitFor("/ # ")) << user.shown();
  ASSERT_TRUE(user.Type("exit 3\n"));
  absl::StatusOr<bool> exited = nsenter::PidfdHasExited(pidfd->get(), absl::Seconds(10));
  ASSERT_TRUE(exited.ok()) << exited.status();
  EXPECT_TRUE(*exited) << user.shown();
  absl::StatusOr<nsenter::ExitStatus> status = nsenter::PidfdWait(pidfd->get());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->ShellCode(), 3) << user.shown();
  // The terminal is as hull found it, and the container is gone.
  termios after;
  ASSERT_EQ(tcgetattr(terminal->slave.get(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
  EXPECT_THAT(Hull({"state", id}).err, HasSubstr("container does not exist"));
}

// `exec -t -d --console-socket`, as podman exec -it and ctr task exec -t do
// it: the exec'd shell gets a pty of the container's devpts of its own (the
// init's /dev/console stays the init's), as its controlling terminal.
TEST_F(TerminalTest, AnExecdProcessGetsItsOwnPtyThroughTheConsoleSocket) {
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  absl::StatusOr<ConsoleSocketListener> listener = ConsoleSocketListener::Listen();
  ASSERT_TRUE(listener.ok()) << listener.status();
  absl::StatusOr<std::string> dir = MakeTempDir("exec-tty");
  ASSERT_TRUE(dir.ok()) << dir.status();
  HullResult exec = Hull({"exec", "-t", "-d", "--console-socket", listener->path(), "--pid-file",
                          *dir + "/pid", id, "sh"});
  ASSERT_EQ(exec.exit_code, 0) << exec;
  absl::StatusOr<UniqueFd> master = listener->ReceiveMaster();
  ASSERT_TRUE(master.ok()) << master.status();
  int number = -1;
  ASSERT_EQ(ioctl(master->get(), TIOCGPTN, &number), 0) << strerror(errno);
  EXPECT_EQ(number, 0);  // the container's devpts: its init has no terminal

  TerminalUser user(master->get());
  ASSERT_TRUE(user.Type("tty; cat /proc/self/stat | cut -d' ' -f7; echo E$((6*7))D\n"));
  ASSERT_TRUE(user.WaitFor("E42D\r\n")) << user.shown();
  const std::vector<std::string> lines = TerminalLines(user.LastOutput());
  EXPECT_THAT(lines, Contains("/dev/pts/0")) << user.shown();
  // tty_nr (field 7) is /dev/pts/0's: major 136, minor 0.
  EXPECT_THAT(lines, Contains(absl::StrCat(136 << 8))) << user.shown();
  ASSERT_TRUE(user.Type("exit 4\n"));
  absl::StatusOr<std::string> pid_text = ReadFile(*dir + "/pid");
  ASSERT_TRUE(pid_text.ok()) << pid_text.status();
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*pid_text, &pid));
  // The exec'd shell was hull's child; this test, the subreaper, reaps it.
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 4) << status;
}

TEST_F(TerminalTest, DetachingWithoutAConsoleSocketIsRefusedAndLeavesNothing) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ShellWithTerminal());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  absl::StatusOr<std::set<std::string>> mounts_before = HostMounts();
  ASSERT_TRUE(mounts_before.ok()) << mounts_before.status();
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"create"}, std::vector<std::string>{"run", "--detach"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--bundle", (*bundle)->path(), NewId()});
    HullResult result = Hull(args);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err,
                HasSubstr("cannot allocate tty if runc will detach without setting console socket"))
        << result;
  }
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
  EXPECT_THAT(LeftoverProcesses({(*bundle)->rootfs()}, root()), IsEmpty());
  EXPECT_EQ(HostMounts().value_or(std::set<std::string>()), *mounts_before);
}

}  // namespace
}  // namespace hull::testing
