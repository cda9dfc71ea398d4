// LinuxCgroupFs on an ordinary directory: the syscalls and their errors.
#include "cgroups/cgroupfs.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;

class LinuxCgroupFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/cgroupfs-", getpid(), "-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0);
  }
  std::string dir_;
  LinuxCgroupFs fs_;
};

TEST_F(LinuxCgroupFsTest, ReadsAndWritesExistingFiles) {
  const std::string file = dir_ + "/memory.limit_in_bytes";
  std::ofstream(file) << "";
  EXPECT_THAT(fs_.WriteFile(file, "1048576"), IsOk());
  EXPECT_THAT(fs_.ReadFile(file), IsOkAndHolds("1048576"));
  EXPECT_TRUE(fs_.Exists(file));
  // Control files are never created.
  EXPECT_THAT(fs_.WriteFile(dir_ + "/missing", "1"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/missing")));
  EXPECT_FALSE(fs_.Exists(dir_ + "/missing"));
  EXPECT_THAT(fs_.ReadFile(dir_ + "/missing"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("No such file")));
}

// Each value in its own write, in order, through one open: on an ordinary
// file they follow one another.
TEST_F(LinuxCgroupFsTest, WriteEachWritesEveryValueInOrder) {
  const std::string file = dir_ + "/devices.allow";
  std::ofstream(file) << "";
  EXPECT_THAT(fs_.WriteEach(file, {"c 1:3 rwm\n", "c 1:5 rwm\n"}), IsOk());
  EXPECT_THAT(fs_.ReadFile(file), IsOkAndHolds("c 1:3 rwm\nc 1:5 rwm\n"));
  EXPECT_THAT(fs_.WriteEach(dir_ + "/missing", {"a"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/missing")));
  EXPECT_FALSE(fs_.Exists(dir_ + "/missing"));
}

TEST_F(LinuxCgroupFsTest, ReadOptionalFileIsNulloptOnlyForAMissingFile) {
  const std::string file = dir_ + "/cpuacct.usage_percpu";
  std::ofstream(file) << "100 200\n";
  EXPECT_THAT(ReadOptionalFile(fs_, file), IsOkAndHolds(Optional(std::string("100 200\n"))));
  EXPECT_THAT(ReadOptionalFile(fs_, dir_ + "/missing"), IsOkAndHolds(Eq(std::nullopt)));
  // Any other error is one: a directory cannot be read.
  EXPECT_THAT(ReadOptionalFile(fs_, dir_), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(dir_)));
  EXPECT_EQ(CgroupFile("/sys/fs/cgroup/pids/c", "pids.max"), "/sys/fs/cgroup/pids/c/pids.max");
}

TEST_F(LinuxCgroupFsTest, Directories) {
  EXPECT_THAT(fs_.MakeDirectory(dir_ + "/b"), IsOk());
  EXPECT_THAT(fs_.MakeDirectory(dir_ + "/a"), IsOk());
  EXPECT_THAT(fs_.MakeDirectory(dir_ + "/a"), StatusIs(absl::StatusCode::kAlreadyExists,
                                                       HasSubstr("mkdir " + dir_ + "/a")));
  std::ofstream(dir_ + "/cgroup.procs") << "";
  EXPECT_THAT(fs_.ListDirectories(dir_), IsOkAndHolds(ElementsAre("a", "b")));
  absl::StatusOr<UniqueFd> fd = fs_.OpenDirectory(dir_ + "/a");
  ASSERT_THAT(fd, IsOk());
  EXPECT_TRUE(fd->valid());
  EXPECT_THAT(fs_.OpenDirectory(dir_ + "/cgroup.procs"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("Not a directory")));
  EXPECT_THAT(fs_.MakeDirectory(dir_ + "/a/c"), IsOk());
  EXPECT_THAT(fs_.RemoveDirectory(dir_ + "/a"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                                         HasSubstr("rmdir " + dir_ + "/a")));
  EXPECT_THAT(fs_.RemoveDirectory(dir_ + "/a/c"), IsOk());
  EXPECT_THAT(fs_.RemoveDirectory(dir_ + "/a"), IsOk());
  EXPECT_THAT(fs_.RemoveDirectory(dir_ + "/a"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(fs_.ListDirectories(dir_ + "/a"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

// Below its root, a LinuxCgroupFs walks from the descriptor it opened at its
// first use of the root: the root's path no longer matters (here it is
// renamed), and errors still name the path given.
TEST_F(LinuxCgroupFsTest, PathsBelowTheRootWalkFromItsDescriptor) {
  LinuxCgroupFs fs(dir_);
  ASSERT_THAT(fs.MakeDirectory(dir_ + "/a"), IsOk());
  const std::string moved = dir_ + "-moved";
  ASSERT_EQ(rename(dir_.c_str(), moved.c_str()), 0);
  std::ofstream(moved + "/a/cgroup.procs") << "";
  EXPECT_TRUE(fs.Exists(dir_ + "/a/cgroup.procs"));
  EXPECT_FALSE(fs.Exists(dir_ + "/a/missing"));
  EXPECT_THAT(fs.WriteFile(dir_ + "/a/cgroup.procs", "1"), IsOk());
  EXPECT_THAT(fs.WriteEach(dir_ + "/a/cgroup.procs", {"2", "3"}), IsOk());
  // (An ordinary file: each open writes from its start.)
  EXPECT_THAT(fs.ReadFile(dir_ + "/a/cgroup.procs"), IsOkAndHolds("23"));
  EXPECT_THAT(fs.ReadFile(dir_ + "/a/missing"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_ + "/a/missing")));
  EXPECT_THAT(fs.MakeDirectory(dir_ + "/a/b"), IsOk());
  EXPECT_THAT(fs.ListDirectories(dir_ + "/a"), IsOkAndHolds(ElementsAre("b")));
  EXPECT_THAT(fs.OpenDirectory(dir_ + "/a/b"), IsOk());
  EXPECT_THAT(fs.OpenForWriting(dir_ + "/a/cgroup.procs"), IsOk());
  EXPECT_THAT(fs.RemoveDirectory(dir_ + "/a/b"), IsOk());
  struct stat st;
  EXPECT_NE(stat((moved + "/a/b").c_str(), &st), 0);
  // The root itself, and paths that only share its prefix, are used as given.
  EXPECT_FALSE(fs.Exists(dir_));
  EXPECT_TRUE(fs.Exists(moved + "/a"));
}

TEST_F(LinuxCgroupFsTest, Kill) {
  EXPECT_THAT(fs_.Kill(getpid(), 0), IsOk());
  // The largest pid the kernel can hand out is below 2^22.
  EXPECT_THAT(fs_.Kill(1 << 30, 0), StatusIs(absl::StatusCode::kNotFound, HasSubstr("kill 1073741824")));
}

}  // namespace
}  // namespace hull::cgroups
