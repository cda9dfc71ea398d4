#include "runtime/console/controlling_terminal.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "base/fd.h"
#include "gtest/gtest.h"

namespace hull::console {
namespace {

// What the forked child found wrong, as its exit code.
enum ChildFailure {
  kTakeFailed = 10,
  kNotSessionLeader,
  kNotControllingTerminal,
  kStdioNotThePty,
  kNoDevTty,
};

// In the child: takes `slave`, checks what that made of it, says "ok" on its
// new stdout.
[[noreturn]] void TakeAndCheck(int slave) {
  if (!TakeControllingTerminal(slave).ok()) _exit(kTakeFailed);
  if (getsid(0) != getpid()) _exit(kNotSessionLeader);
  if (tcgetsid(STDIN_FILENO) != getpid()) _exit(kNotControllingTerminal);
  struct stat pty, stdio;
  if (fstat(slave, &pty) != 0) _exit(kStdioNotThePty);
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (fstat(fd, &stdio) != 0 || stdio.st_rdev != pty.st_rdev) _exit(kStdioNotThePty);
  }
  // /dev/tty opens the controlling terminal: the pty, whose session this is.
  const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0 || tcgetsid(tty) != getpid()) _exit(kNoDevTty);
  (void)!write(STDOUT_FILENO, "ok\n", 3);
  _exit(0);
}

TEST(ControllingTerminalTest, TheSlaveBecomesTheSessionsTerminalAndStdio) {
  int master_fd, slave_fd;
  ASSERT_EQ(openpty(&master_fd, &slave_fd, nullptr, nullptr, nullptr), 0);
  UniqueFd master(master_fd), slave(slave_fd);
  const pid_t child = fork();
  ASSERT_GE(child, 0) << strerror(errno);
  if (child == 0) TakeAndCheck(slave.get());
  slave.Reset();

  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string said;
  char buffer[64];
  pollfd readable = {.fd = master.get(), .events = POLLIN, .revents = 0};
  while (poll(&readable, 1, 1000) > 0) {
    const ssize_t n = read(master.get(), buffer, sizeof(buffer));
    if (n <= 0) break;
    said.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(said, "ok\r\n");
}

}  // namespace
}  // namespace hull::console
