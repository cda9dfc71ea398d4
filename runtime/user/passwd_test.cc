#include "runtime/user/passwd.h"

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::user {
namespace {

using ::testing::ElementsAre;

// Matchers for FindPasswdEntry.
bool AnyUser(absl::string_view, uint32_t) { return true; }
auto Uid(uint32_t want) {
  return [want](absl::string_view, uint32_t uid) { return uid == want; };
}
auto Name(absl::string_view want) {
  return [want](absl::string_view name, uint32_t) { return name == want; };
}

TEST(FindPasswdEntryTest, ReadsEveryFieldOfTheFirstMatch) {
  constexpr char kPasswd[] =
      "root:x:0:0:root:/root:/bin/sh\n"
      "user:x:1000:1000:A User,,,:/home/user:/bin/sh\n"
      "again:y:1000:5::/again:\n";
  EXPECT_EQ(FindPasswdEntry(kPasswd, AnyUser),
            (PasswdEntry{"root", 0, 0, "/root"}));
  EXPECT_EQ(FindPasswdEntry(kPasswd, Uid(1000)),
            (PasswdEntry{"user", 1000, 1000, "/home/user"}));
  EXPECT_EQ(FindPasswdEntry(kPasswd, Name("again")),
            (PasswdEntry{"again", 1000, 5, "/again"}));
  EXPECT_EQ(FindPasswdEntry(kPasswd, Uid(7)), std::nullopt);
  EXPECT_EQ(FindPasswdEntry("", AnyUser), std::nullopt);
}

TEST(FindPasswdEntryTest, SkipsCommentsBlankLinesAndSpaces) {
  EXPECT_EQ(FindPasswdEntry("# users\n\n   \n  root:x:0:0:root:/root:/bin/sh  \r\n", AnyUser),
            (PasswdEntry{"root", 0, 0, "/root"}));
  EXPECT_EQ(FindPasswdEntry("#user:x:1:1::/:\n", AnyUser), std::nullopt);
}

TEST(FindPasswdEntryTest, LeavesMissingTrailingFieldsEmpty) {
  EXPECT_EQ(FindPasswdEntry("short:x:7:8\nshorter:x:9:10:gecos", Uid(7)),
            (PasswdEntry{"short", 7, 8, ""}));
  EXPECT_EQ(FindPasswdEntry("short:x:7:8\nshorter:x:9:10:gecos", Uid(9)),
            (PasswdEntry{"shorter", 9, 10, ""}));
  EXPECT_EQ(FindPasswdEntry("noshell:x:11:12::/home/n", Uid(11)),
            (PasswdEntry{"noshell", 11, 12, "/home/n"}));
}

TEST(FindPasswdEntryTest, SkipsLinesWithoutNumericIds) {
  // runc reads a broken id as 0: such a line must never match root.
  constexpr char kBroken[] =
      "nouid:x\n"
      "nogid:x:5\n"
      "word:x:abc:0:::\n"
      "signed:x:-1:0:::\n"
      "plus:x:+5:0:::\n"
      "empty:x::0:::\n"
      "badgid:x:0:zero:::\n"
      "huge:x:99999999999:0:::\n";
  EXPECT_EQ(FindPasswdEntry(kBroken, AnyUser), std::nullopt);
  EXPECT_EQ(FindPasswdEntry(kBroken, Uid(0)), std::nullopt);
  EXPECT_EQ(FindPasswdEntry(kBroken, Name("badgid")), std::nullopt);
}

TEST(ParseGroupTest, ReadsMembers) {
  EXPECT_THAT(
      ParseGroup("root:x:0:\naudio:x:29:user,daemon\nwheel:*:10"),
      ElementsAre(GroupEntry{"root", 0, {}}, GroupEntry{"audio", 29, {"user", "daemon"}},
                  GroupEntry{"wheel", 10, {}}));
}

TEST(ParseGroupTest, SkipsCommentsAndBrokenLines) {
  EXPECT_THAT(ParseGroup("# groups\nbroken:x\nbad:x:ten:\n\nusers:x:100:\n"),
              ElementsAre(GroupEntry{"users", 100, {}}));
}

}  // namespace
}  // namespace hull::user
