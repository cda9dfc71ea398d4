#include "testing/test_cgroup.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"

namespace hull::testing {

absl::StatusOr<std::unique_ptr<TestCgroup>> TestCgroup::Create(std::string dir) {
  std::unique_ptr<TestCgroup> cgroup(new TestCgroup(std::move(dir)));
  absl::Status made = cgroup->fs_.MakeDirectory(cgroup->dir_);
  if (!made.ok()) {
    cgroup->dir_.clear();  // not ours: nothing to remove
    return made;
  }
  return cgroup;
}

TestCgroup::~TestCgroup() {
  for (pid_t pid : children_) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  if (dir_.empty() || !fs_.Exists(dir_)) return;
  // A killed child leaves the cgroup as it is reaped; rmdir may still race it.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::Status removed;
  do {
    removed = fs_.RemoveDirectory(dir_);
    if (removed.ok()) return;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ADD_FAILURE() << dir_ << " is left behind: " << removed;
}

pid_t TestCgroup::Start(const std::function<int()>& body) {
  absl::StatusOr<pid_t> pid = StartHeldChild(body, [this](pid_t child) {
    return fs_.WriteFile(dir_ + "/cgroup.procs", absl::StrCat(child));
  });
  EXPECT_TRUE(pid.ok()) << pid.status();
  if (!pid.ok()) return -1;
  children_.push_back(*pid);
  return *pid;
}

int TestCgroup::Wait(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid) << strerror(errno);
  std::erase(children_, pid);
  return status;
}

}  // namespace hull::testing
