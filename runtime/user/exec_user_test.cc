#include "runtime/user/exec_user.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::user {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;

// The busybox rootfs's files.
UserDatabase Busybox() {
  return UserDatabase{
      "root:x:0:0:root:/root:/bin/sh\n"
      "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
      "user:x:1000:1000:user:/home/user:/bin/sh\n"
      "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
      "root:x:0:\n"
      "daemon:x:1:\n"
      "audio:x:29:user\n"
      "video:x:44:daemon,user\n"
      "user:x:1000:\n"
      "nogroup:x:65534:\n"};
}

TEST(ResolveExecUserTest, ByName) {
  EXPECT_THAT(ResolveExecUser("user", {}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 1000, {29, 44}, "/home/user"}));
}

TEST(ResolveExecUserTest, ByNameWithAdditionalGroups) {
  EXPECT_THAT(ResolveExecUser("user", {44, 7, 7}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 1000, {29, 44, 7}, "/home/user"}));
}

TEST(ResolveExecUserTest, EmptySpecIsRoot) {
  EXPECT_THAT(ResolveExecUser("", {}, Busybox()), IsOkAndHolds(ExecUser{0, 0, {}, "/root"}));
}

TEST(ResolveExecUserTest, NumericUserAndGroup) {
  // runc's form for process.user: the home comes from the uid's entry; an
  // explicit group means no supplementary groups from /etc/group.
  EXPECT_THAT(ResolveExecUser("1000:1000", {}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 1000, {}, "/home/user"}));
  EXPECT_THAT(ResolveExecUser("1000:44", {5}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 44, {5}, "/home/user"}));
}

// As runc's parseLine: a third ':'-separated field is ignored.
TEST(ResolveExecUserTest, FieldsAfterTheGroupAreIgnored) {
  EXPECT_THAT(ResolveExecUser("1000:44:7", {}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 44, {}, "/home/user"}));
  // An empty group is the user's own, with its memberships.
  const absl::StatusOr<ExecUser> plain = ResolveExecUser("1000", {}, Busybox());
  ASSERT_THAT(plain, IsOk());
  EXPECT_THAT(ResolveExecUser("1000::7", {}, Busybox()), IsOkAndHolds(*plain));
}

TEST(ResolveExecUserTest, NumericGroupNeedsNoGroupFile) {
  const UserDatabase passwd_only{Busybox().passwd, absl::nullopt};
  EXPECT_THAT(ResolveExecUser("1000:44", {}, passwd_only),
              IsOkAndHolds(ExecUser{1000, 44, {}, "/home/user"}));
}

TEST(ResolvingReadsGroupFileTest, OnlyForANamedGroupOrMemberships) {
  EXPECT_FALSE(ResolvingReadsGroupFile("1000:44"));
  EXPECT_FALSE(ResolvingReadsGroupFile("user:0"));
  EXPECT_TRUE(ResolvingReadsGroupFile("user:audio"));
  EXPECT_TRUE(ResolvingReadsGroupFile("1000"));
  EXPECT_TRUE(ResolvingReadsGroupFile("user"));
  EXPECT_TRUE(ResolvingReadsGroupFile(""));
}

TEST(ResolveExecUserTest, NumericUserFindsMemberships) {
  EXPECT_THAT(ResolveExecUser("1000", {}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 1000, {29, 44}, "/home/user"}));
}

TEST(ResolveExecUserTest, NumericIdsWithoutEntries) {
  EXPECT_THAT(ResolveExecUser("4242:4343", {}, Busybox()),
              IsOkAndHolds(ExecUser{4242, 4343, {}, "/"}));
  EXPECT_THAT(ResolveExecUser("4242", {}, Busybox()), IsOkAndHolds(ExecUser{4242, 0, {}, "/"}));
}

TEST(ResolveExecUserTest, NamedUserAndGroup) {
  EXPECT_THAT(ResolveExecUser("user:audio", {}, Busybox()),
              IsOkAndHolds(ExecUser{1000, 29, {}, "/home/user"}));
  EXPECT_THAT(ResolveExecUser("daemon:65534", {}, Busybox()),
              IsOkAndHolds(ExecUser{1, 65534, {}, "/usr/sbin"}));
  EXPECT_THAT(ResolveExecUser("4242:audio", {}, Busybox()),
              IsOkAndHolds(ExecUser{4242, 29, {}, "/"}));
}

TEST(ResolveExecUserTest, UnknownUserNameUsesRuncsWords) {
  EXPECT_THAT(ResolveExecUser("daemonx", {}, Busybox()),
              StatusIs(absl::StatusCode::kNotFound,
                       "unable to find user daemonx: no matching entries in passwd file"));
  EXPECT_THAT(ResolveExecUser("daemonx:root", {}, Busybox()),
              StatusIs(absl::StatusCode::kNotFound,
                       "unable to find user daemonx: no matching entries in passwd file"));
}

TEST(ResolveExecUserTest, UnknownGroupNameUsesRuncsWords) {
  EXPECT_THAT(ResolveExecUser("user:wheel", {}, Busybox()),
              StatusIs(absl::StatusCode::kNotFound,
                       "unable to find group wheel: no matching entries in group file"));
}

TEST(ResolveExecUserTest, IdsOutOfRange) {
  for (const char* spec : {"2147483648", "0:2147483648", "99999999999999999999999"}) {
    EXPECT_THAT(
        ResolveExecUser(spec, {}, Busybox()),
        StatusIs(absl::StatusCode::kInvalidArgument, "uids and gids must be in range 0-2147483647"))
        << spec;
  }
  EXPECT_THAT(ResolveExecUser("0", {2147483648u}, Busybox()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be in range")));
}

TEST(ResolveExecUserTest, WithoutFiles) {
  const UserDatabase none;
  EXPECT_THAT(ResolveExecUser("", {}, none), IsOkAndHolds(ExecUser{0, 0, {}, "/"}));
  EXPECT_THAT(ResolveExecUser("1000:1000", {3}, none),
              IsOkAndHolds(ExecUser{1000, 1000, {3}, "/"}));
  EXPECT_THAT(ResolveExecUser("user", {}, none),
              StatusIs(absl::StatusCode::kNotFound,
                       "unable to find user user: no matching entries in passwd file"));
}

TEST(ResolveExecUserTest, FirstMatchWins) {
  const UserDatabase twice{"a:x:5:5::/first:\na:x:6:6::/second:\n", absl::nullopt};
  EXPECT_THAT(ResolveExecUser("a", {}, twice), IsOkAndHolds(ExecUser{5, 5, {}, "/first"}));
}

TEST(UserSpecTest, IsUidColonGid) {
  config::User user;
  user.set_uid(1000);
  user.set_gid(29);
  user.add_additional_gids(5);
  EXPECT_EQ(UserSpec(user), "1000:29");
}

class ReadUserDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/root.XXXXXX");
    ASSERT_NE(mkdtemp(root_.data()), nullptr);
    ASSERT_EQ(mkdir((root_ + "/etc").c_str(), 0755), 0);
  }

  void Write(const std::string& path, const std::string& contents) {
    const int fd = open((root_ + path).c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0) << path;
    ASSERT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    close(fd);
  }

  // A user "user" (1000:1000) in both files.
  void WriteUserFiles() {
    Write("/etc/passwd", "user:x:1000:1000::/home/user:/bin/sh\n");
    Write("/etc/group", "user:x:1000:\n");
  }

  std::string root_;
};

TEST_F(ReadUserDatabaseTest, ReadsBothFiles) {
  WriteUserFiles();
  absl::StatusOr<UserDatabase> database = ReadUserDatabase(root_, "user");
  ASSERT_THAT(database, IsOk());
  EXPECT_THAT(database->passwd, Optional(Eq("user:x:1000:1000::/home/user:/bin/sh\n")));
  EXPECT_THAT(database->group, Optional(Eq("user:x:1000:\n")));
}

TEST_F(ReadUserDatabaseTest, ANumericGroupLeavesTheGroupFileUnread) {
  WriteUserFiles();
  absl::StatusOr<UserDatabase> database = ReadUserDatabase(root_, "1000:1000");
  ASSERT_THAT(database, IsOk());
  EXPECT_THAT(database->passwd, Optional(Eq("user:x:1000:1000::/home/user:/bin/sh\n")));
  EXPECT_EQ(database->group, absl::nullopt);
}

TEST_F(ReadUserDatabaseTest, MissingFilesAreNone) {
  absl::StatusOr<UserDatabase> database = ReadUserDatabase(root_, "user");
  ASSERT_THAT(database, IsOk());
  EXPECT_EQ(database->passwd, absl::nullopt);
  EXPECT_EQ(database->group, absl::nullopt);
}

TEST_F(ReadUserDatabaseTest, SymlinksStayInsideTheRoot) {
  // An image whose /etc/passwd points at the host's: it resolves to the
  // root's own /host/passwd instead.
  ASSERT_EQ(mkdir((root_ + "/host").c_str(), 0755), 0);
  Write("/host/passwd", "inside:x:1:1::/:\n");
  ASSERT_EQ(symlink("/host/passwd", (root_ + "/etc/passwd").c_str()), 0);
  // The host's /etc/hostname exists; the root has none.
  ASSERT_EQ(access("/etc/hostname", F_OK), 0);
  ASSERT_EQ(symlink("../../../../../../../../etc/hostname", (root_ + "/etc/group").c_str()), 0);
  absl::StatusOr<UserDatabase> database = ReadUserDatabase(root_, "user");
  ASSERT_THAT(database, IsOk());
  EXPECT_THAT(database->passwd, Optional(Eq("inside:x:1:1::/:\n")));
  EXPECT_EQ(database->group, absl::nullopt);
}

TEST_F(ReadUserDatabaseTest, RefusesAFifo) {
  ASSERT_EQ(mkfifo((root_ + "/etc/passwd").c_str(), 0644), 0);
  EXPECT_THAT(ReadUserDatabase(root_, "user"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(root_, "/etc/passwd is not a regular file")));
}

}  // namespace
}  // namespace hull::user
