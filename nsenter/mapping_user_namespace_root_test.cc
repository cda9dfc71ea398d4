// Root: the mapping namespace carries the maps it was made with, is not the
// caller's, and no child is left behind.
#include "nsenter/mapping_user_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/id_map.h"
#include "testing/status_matchers.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::IsOk;

// What `file` reads in a forked child that has joined the user namespace `ns`.
std::string ReadInNamespace(int ns, const char* file) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    if (setns(ns, CLONE_NEWUSER) != 0) _exit(1);
    UniqueFd in(open(file, O_RDONLY | O_CLOEXEC));
    char buffer[256];
    const ssize_t n = in.valid() ? read(in.get(), buffer, sizeof(buffer)) : -1;
    if (n > 0 && write(pipe_fds[1], buffer, n) != n) _exit(2);
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string text;
  char buffer[256];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return text;
}

TEST(MappingUserNamespaceTest, CarriesTheMapsAndLeavesNoChild) {
  LinuxProcessCloner cloner;
  const IdMaps maps = {.uid_map = "0 1234 10\n", .gid_map = "5 2345 1\n"};
  absl::StatusOr<UniqueFd> ns = MakeMappingUserNamespace(cloner, maps);
  ASSERT_THAT(ns.status(), IsOk());

  struct stat made, own;
  ASSERT_EQ(fstat(ns->get(), &made), 0);
  ASSERT_EQ(stat("/proc/self/ns/user", &own), 0);
  EXPECT_NE(made.st_ino, own.st_ino);
  // The child that made it was reaped: this process has no child left.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);

  EXPECT_THAT(ReadInNamespace(ns->get(), "/proc/self/uid_map"),
              ::testing::MatchesRegex(" *0 +1234 +10\n"));
  EXPECT_THAT(ReadInNamespace(ns->get(), "/proc/self/gid_map"),
              ::testing::MatchesRegex(" *5 +2345 +1\n"));
}

TEST(MappingUserNamespaceTest, AMapTheKernelRefusesIsAnErrorAndLeavesNoChild) {
  LinuxProcessCloner cloner;
  // Two lines for the same container id: the kernel refuses the write.
  const IdMaps maps = {.uid_map = "0 1000 1\n0 2000 1\n", .gid_map = "0 1000 1\n"};
  EXPECT_FALSE(MakeMappingUserNamespace(cloner, maps).ok());
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace hull::nsenter
