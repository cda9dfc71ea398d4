#include "runtime/rootfs/copy_up.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "base/fd.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;

struct stat Lstat(const std::string& path) {
  struct stat st = {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st;
}

class CopyUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> from = hull::testing::MakeTempDir("from");
    absl::StatusOr<std::string> to = hull::testing::MakeTempDir("to");
    ASSERT_TRUE(from.ok() && to.ok());
    from_ = *from;
    to_ = *to;
    // Root can give the image's files another owner; anyone else keeps its own.
    owner_ = geteuid() == 0 ? 1234 : geteuid();
    group_ = geteuid() == 0 ? 5678 : getegid();
  }

  absl::Status Copy() {
    UniqueFd from(open(from_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    UniqueFd to(open(to_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    return CopyDirectoryContents(from.get(), to.get());
  }

  std::string from_;
  std::string to_;
  uid_t owner_;
  gid_t group_;
};

TEST_F(CopyUpTest, CopiesContentModesOwnersTimesAndSymlinks) {
  ASSERT_EQ(mkdir((from_ + "/sub").c_str(), 0700), 0);
  ASSERT_THAT(hull::testing::WriteFile(from_ + "/sub/file", "content\n"), IsOk());
  ASSERT_EQ(chown((from_ + "/sub/file").c_str(), owner_, group_), 0);
  ASSERT_EQ(chmod((from_ + "/sub/file").c_str(), 04750), 0);
  const struct timespec times[2] = {{.tv_sec = 1000, .tv_nsec = 0}, {.tv_sec = 2000, .tv_nsec = 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, (from_ + "/sub/file").c_str(), times, 0), 0);
  ASSERT_EQ(chmod((from_ + "/sub").c_str(), 02751), 0);
  ASSERT_EQ(symlink("/etc/passwd", (from_ + "/absolute").c_str()), 0);
  ASSERT_EQ(symlink("../../nowhere", (from_ + "/dangling").c_str()), 0);
  ASSERT_EQ(symlink("sub", (from_ + "/to-sub").c_str()), 0);
  ASSERT_EQ(mkfifo((from_ + "/fifo").c_str(), 0620), 0);
  ASSERT_EQ(chown(from_.c_str(), owner_, group_), 0);

  ASSERT_THAT(Copy(), IsOk());

  const struct stat file = Lstat(to_ + "/sub/file");
  EXPECT_TRUE(S_ISREG(file.st_mode));
  EXPECT_EQ(file.st_mode & 07777, 04750u) << "setuid survives the chown";
  EXPECT_EQ(file.st_uid, owner_);
  EXPECT_EQ(file.st_gid, group_);
  EXPECT_EQ(file.st_mtim.tv_sec, 2000);
  EXPECT_EQ(hull::testing::ReadFile(to_ + "/sub/file").value_or(""), "content\n");
  const struct stat sub = Lstat(to_ + "/sub");
  EXPECT_TRUE(S_ISDIR(sub.st_mode));
  EXPECT_EQ(sub.st_mode & 07777, 02751u);
  EXPECT_EQ(Lstat(to_ + "/fifo").st_mode, Lstat(from_ + "/fifo").st_mode);
  for (const char* link : {"/absolute", "/dangling", "/to-sub"}) {
    EXPECT_TRUE(S_ISLNK(Lstat(to_ + link).st_mode)) << link << " must stay a symlink";
    char target[64] = {};
    ASSERT_GT(readlink((to_ + link).c_str(), target, sizeof(target) - 1), 0);
    char original[64] = {};
    ASSERT_GT(readlink((from_ + link).c_str(), original, sizeof(original) - 1), 0);
    EXPECT_STREQ(target, original);
  }
  // The destination's owner is the image directory's; its mode stays.
  const struct stat root = Lstat(to_);
  EXPECT_EQ(root.st_uid, owner_);
  EXPECT_EQ(root.st_gid, group_);
}

TEST_F(CopyUpTest, AnEmptyDirectoryCopiesNothing) {
  ASSERT_THAT(Copy(), IsOk());
  EXPECT_EQ(rmdir(to_.c_str()), 0) << "the copy must be empty";
}

TEST_F(CopyUpTest, ANameAlreadyInTheDestinationFails) {
  ASSERT_THAT(hull::testing::WriteFile(from_ + "/file", "a"), IsOk());
  ASSERT_THAT(hull::testing::WriteFile(to_ + "/file", "b"), IsOk());
  EXPECT_FALSE(Copy().ok());
  EXPECT_EQ(hull::testing::ReadFile(to_ + "/file").value_or(""), "b");
}

}  // namespace
}  // namespace hull::rootfs
