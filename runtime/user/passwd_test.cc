#include "runtime/user/passwd.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::user {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ParsePasswdTest, ReadsEveryField) {
  EXPECT_THAT(
      ParsePasswd("root:x:0:0:root:/root:/bin/sh\n"
                  "user:x:1000:1000:A User,,,:/home/user:/bin/sh\n"),
      ElementsAre(PasswdEntry{"root", "x", 0, 0, "root", "/root", "/bin/sh"},
                  PasswdEntry{"user", "x", 1000, 1000, "A User,,,", "/home/user", "/bin/sh"}));
}

TEST(ParsePasswdTest, SkipsCommentsBlankLinesAndSpaces) {
  EXPECT_THAT(ParsePasswd("# users\n\n   \n  root:x:0:0:root:/root:/bin/sh  \r\n#user:x:1:1::/:\n"),
              ElementsAre(PasswdEntry{"root", "x", 0, 0, "root", "/root", "/bin/sh"}));
}

TEST(ParsePasswdTest, LeavesMissingTrailingFieldsEmpty) {
  EXPECT_THAT(ParsePasswd("short:x:7:8\nshorter:x:9:10:gecos"),
              ElementsAre(PasswdEntry{"short", "x", 7, 8, "", "", ""},
                          PasswdEntry{"shorter", "x", 9, 10, "gecos", "", ""}));
}

TEST(ParsePasswdTest, SkipsLinesWithoutNumericIds) {
  // runc reads a broken id as 0: such a line must never match root.
  EXPECT_THAT(ParsePasswd("nouid:x\n"
                          "nogid:x:5\n"
                          "word:x:abc:0:::\n"
                          "signed:x:-1:0:::\n"
                          "plus:x:+5:0:::\n"
                          "empty:x::0:::\n"
                          "huge:x:99999999999:0:::\n"),
              IsEmpty());
}

TEST(ParseGroupTest, ReadsMembers) {
  EXPECT_THAT(
      ParseGroup("root:x:0:\naudio:x:29:user,daemon\nwheel:*:10"),
      ElementsAre(GroupEntry{"root", "x", 0, {}}, GroupEntry{"audio", "x", 29, {"user", "daemon"}},
                  GroupEntry{"wheel", "*", 10, {}}));
}

TEST(ParseGroupTest, SkipsCommentsAndBrokenLines) {
  EXPECT_THAT(ParseGroup("# groups\nbroken:x\nbad:x:ten:\n\nusers:x:100:\n"),
              ElementsAre(GroupEntry{"users", "x", 100, {}}));
}

}  // namespace
}  // namespace hull::user
