#include "base/root_directory.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;

// A root with planted symlinks, inside a directory that plays the host.
class RootDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = absl::StrCat(getenv("TEST_TMPDIR"), "/host.XXXXXX");
    ASSERT_NE(mkdtemp(host_.data()), nullptr);
    root_ = host_ + "/root";
    for (const char* dir : {"", "/etc"}) ASSERT_EQ(mkdir((root_ + dir).c_str(), 0755), 0);
    std::ofstream(root_ + "/etc/passwd") << "container\n";
    std::ofstream(host_ + "/secret") << "host\n";
    Symlink("/etc/passwd", "/abs");
    Symlink("../../../etc/passwd", "/rel");
    Symlink("../secret", "/escape");
    Symlink("..", "/up");
    Symlink("/newdir/sub", "/dangling");
    Symlink("loop", "/loop");
    absl::StatusOr<RootDirectory> root = RootDirectory::Open(root_);
    ASSERT_THAT(root, IsOk());
    root_directory_.emplace(*std::move(root));
  }

  void Symlink(const char* target, const char* path) {
    ASSERT_EQ(symlink(target, (root_ + path).c_str()), 0) << path;
  }

  struct stat StatFd(int fd) {
    struct stat st = {};
    EXPECT_EQ(fstat(fd, &st), 0);
    return st;
  }

  struct stat StatPath(const std::string& path) {
    struct stat st = {};
    EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
    return st;
  }

  bool SameFile(int fd, const std::string& path) {
    struct stat a = StatFd(fd);
    struct stat b = StatPath(path);
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  }

  const RootDirectory& root() { return *root_directory_; }

  std::string host_;
  std::string root_;
  std::optional<RootDirectory> root_directory_;
};

TEST_F(RootDirectoryTest, SymlinksResolveInsideTheRoot) {
  for (const char* path : {"/abs", "/rel", "abs", "/up/up/etc/passwd", "/../etc/passwd"}) {
    absl::StatusOr<UniqueFd> fd = root().Resolve(path);
    ASSERT_THAT(fd, IsOk()) << path;
    EXPECT_TRUE(SameFile(fd->get(), root_ + "/etc/passwd")) << path;
  }
  // "../secret" from the root is the root's own (missing) /secret.
  EXPECT_THAT(root().Resolve("/escape").status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"/escape\" in \"")));
}

TEST_F(RootDirectoryTest, CreatesWhatIsMissingInsideTheRootOnly) {
  absl::StatusOr<UniqueFd> file = root().ResolveOrCreate("/a/b/c", NodeType::kFile);
  ASSERT_THAT(file, IsOk());
  EXPECT_TRUE(S_ISREG(StatPath(root_ + "/a/b/c").st_mode));
  EXPECT_EQ(StatPath(root_ + "/a/b/c").st_size, 0);
  EXPECT_TRUE(S_ISDIR(StatPath(root_ + "/a/b").st_mode));
  EXPECT_TRUE(SameFile(file->get(), root_ + "/a/b/c"));

  // The relative escape creates the root's /secret, not the host's.
  absl::StatusOr<UniqueFd> escaped = root().ResolveOrCreate("/escape", NodeType::kFile);
  ASSERT_THAT(escaped, IsOk());
  EXPECT_TRUE(SameFile(escaped->get(), root_ + "/secret"));
  std::ifstream host_secret(host_ + "/secret");
  std::string content;
  std::getline(host_secret, content);
  EXPECT_EQ(content, "host");

  // A dangling absolute link is followed inside the root, and its target made.
  absl::StatusOr<UniqueFd> dangling = root().ResolveOrCreate("/dangling", NodeType::kDirectory);
  ASSERT_THAT(dangling, IsOk());
  EXPECT_TRUE(SameFile(dangling->get(), root_ + "/newdir/sub"));
  EXPECT_NE(access("/newdir", F_OK), 0);

  // So is one on the way to what is made.
  Symlink("/other/dir", "/dangling2");
  absl::StatusOr<UniqueFd> below = root().ResolveOrCreate("/dangling2/x/y", NodeType::kFile);
  ASSERT_THAT(below, IsOk());
  EXPECT_TRUE(SameFile(below->get(), root_ + "/other/dir/x/y"));
  EXPECT_TRUE(S_ISREG(StatPath(root_ + "/other/dir/x/y").st_mode));
  EXPECT_NE(access("/other", F_OK), 0);

  // Already there: nothing is created.
  absl::StatusOr<UniqueFd> existing = root().ResolveOrCreate("/abs", NodeType::kDirectory);
  ASSERT_THAT(existing, IsOk());
  EXPECT_TRUE(SameFile(existing->get(), root_ + "/etc/passwd"));
}

TEST_F(RootDirectoryTest, CreationErrors) {
  const absl::Status loop = root().ResolveOrCreate("/loop/x", NodeType::kDirectory).status();
  EXPECT_FALSE(loop.ok());
  EXPECT_THAT(loop.message(), HasSubstr("Too many levels of symbolic links"));
  const absl::Status not_directory =
      root().ResolveOrCreate("/etc/passwd/x", NodeType::kDirectory).status();
  EXPECT_FALSE(not_directory.ok());
  EXPECT_THAT(not_directory.message(), HasSubstr("Not a directory"));
}

TEST_F(RootDirectoryTest, ResolveParent) {
  absl::StatusOr<RootDirectory::Entry> entry = root().ResolveParent("/dev/pts/ptmx", true);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->name, "ptmx");
  EXPECT_TRUE(SameFile(entry->parent.get(), root_ + "/dev/pts"));

  EXPECT_THAT(root().ResolveParent("/nope/x", false).status(),
              StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_THAT(root().ResolveParent("/", true).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no parent")));
}

TEST(RequireProcfsTest, TellsProcfsFromTheRest) {
  UniqueFd proc(open("/proc/self", O_PATH | O_CLOEXEC));
  ASSERT_TRUE(proc.valid());
  EXPECT_THAT(RequireProcfs(proc.get(), "\"/proc/self\""), IsOk());
  UniqueFd tmp(open(getenv("TEST_TMPDIR"), O_PATH | O_CLOEXEC));
  ASSERT_TRUE(tmp.valid());
  EXPECT_THAT(
      RequireProcfs(tmp.get(), "the temp dir"),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("the temp dir is not on procfs")));
}

TEST(IsOnProcfsTest, TellsProcfsFromTheRestAndABadFd) {
  UniqueFd proc(open("/proc/self", O_PATH | O_CLOEXEC));
  ASSERT_TRUE(proc.valid());
  EXPECT_TRUE(IsOnProcfs(proc.get()));
  UniqueFd tmp(open(getenv("TEST_TMPDIR"), O_PATH | O_CLOEXEC));
  ASSERT_TRUE(tmp.valid());
  EXPECT_FALSE(IsOnProcfs(tmp.get()));
  EXPECT_FALSE(IsOnProcfs(-1));
}

}  // namespace
}  // namespace hull
