// PidsInPidNamespace on real nested pid namespaces, as root: a child in a new
// pid namespace, its child in one nested below, and the test process outside.
#include "nsenter/pid_namespace_members.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::nsenter {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A process that enters a new pid namespace for its children and forks one
// there, which does the same once more: three processes, each in the
// namespace below the last, by their pids in the test's namespace.
struct Nested {
  pid_t outer = 0;   // in the test's namespace
  pid_t middle = 0;  // in the first new namespace
  pid_t inner = 0;   // in the one below it
};

void PauseForever() {
  while (true) pause();
}

Nested StartNested() {
  Nested nested;
  nested.outer = fork();
  if (nested.outer == 0) {
    if (unshare(CLONE_NEWPID) != 0) _exit(1);
    const pid_t middle = fork();
    if (middle == 0) {
      if (unshare(CLONE_NEWPID) != 0) _exit(1);
      const pid_t inner = fork();
      if (inner == 0) PauseForever();
      PauseForever();
    }
    PauseForever();
  }
  // The host pids of the outer process's descendants, from /proc.
  for (int attempt = 0; attempt < 500 && nested.inner == 0; ++attempt) {
    usleep(10000);
    std::string children;
    for (pid_t parent : {nested.outer, nested.middle}) {
      if (parent == 0) break;
      const std::string path = absl::StrCat("/proc/", parent, "/task/", parent, "/children");
      UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
      char buffer[64] = {};
      if (!fd.valid() || read(fd.get(), buffer, sizeof(buffer) - 1) <= 0) break;
      const pid_t child = atoi(buffer);
      if (parent == nested.outer) nested.middle = child;
      else nested.inner = child;
    }
  }
  return nested;
}

TEST(PidsInPidNamespaceTest, KeepsTheNamespacesMembersAndThoseBelow) {
  const Nested nested = StartNested();
  // Killing the outer process's namespace init (middle) ends inner too.
  absl::Cleanup end = [&] {
    if (nested.middle > 0) kill(nested.middle, SIGKILL);
    kill(nested.outer, SIGKILL);
    waitpid(nested.outer, nullptr, 0);
  };
  ASSERT_GT(nested.inner, 0) << "the nested processes did not start";
  const std::string middle_ns = absl::StrCat("/proc/", nested.middle, "/ns/pid");
  UniqueFd ns(open(middle_ns.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(ns.valid()) << middle_ns;
  const std::vector<pid_t> all = {getpid(), nested.outer, nested.middle, nested.inner};

  EXPECT_THAT(PidsInPidNamespace(all, ns.get()), UnorderedElementsAre(nested.middle, nested.inner));
  UniqueFd own(open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(own.valid());
  EXPECT_THAT(PidsInPidNamespace(all, own.get()),
              UnorderedElementsAre(getpid(), nested.outer, nested.middle, nested.inner));

  std::move(end).Invoke();
  // The namespace empties as the kernel tears it down, asynchronously: wait
  // (5 s at most) for every member, not only the innermost, to be gone.
  for (int attempt = 0; attempt < 500 && !PidsInPidNamespace(all, ns.get()).empty(); ++attempt) {
    usleep(10000);
  }
  EXPECT_THAT(PidsInPidNamespace(all, ns.get()), IsEmpty());
  EXPECT_THAT(PidsInPidNamespace({getpid()}, own.get()), ElementsAre(getpid()));
}

}  // namespace
}  // namespace hull::nsenter
