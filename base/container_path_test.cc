#include "base/container_path.h"

#include <optional>
#include <utility>

#include "gtest/gtest.h"

namespace hull {
namespace {

TEST(CleanContainerPathTest, ResolvesDotsByText) {
  constexpr std::pair<const char*, const char*> kCases[] = {
      {"/a//b/./c/../d/", "/a/b/d"},
      {"a/b", "/a/b"},
      {"/../../etc", "/etc"},
      {"", "/"},
      {"/..", "/"},
      {"/", "/"},
      {"//", "/"},
      {".", "/"},
      {"/a/..", "/"},
      {"/a/b/..", "/a"},
      {"/a/b/../../c/./d/..", "/c"},
      {"/a/..b/.c/...", "/a/..b/.c/..."},
      {"sys/fs/cgroup/", "/sys/fs/cgroup"},
  };
  for (const auto& [path, clean] : kCases) {
    EXPECT_EQ(CleanContainerPath(path), clean) << "\"" << path << "\"";
  }
}

TEST(CleanRelativePathTest, StaysBelowTheStart) {
  EXPECT_EQ(CleanRelativePath("a//b/./c/../d/"), "a/b/d");
  EXPECT_EQ(CleanRelativePath("/a/b/../c"), "a/c");
  EXPECT_EQ(CleanRelativePath("a/.."), "");
  EXPECT_EQ(CleanRelativePath(""), "");
  EXPECT_EQ(CleanRelativePath(".."), std::nullopt);
  EXPECT_EQ(CleanRelativePath("a/../../b"), std::nullopt);
}

TEST(IsAtOrBelowTest, ComparesWholeComponents) {
  EXPECT_TRUE(IsAtOrBelow("/proc", "/proc"));
  EXPECT_TRUE(IsAtOrBelow("/proc/sys", "/proc"));
  EXPECT_FALSE(IsAtOrBelow("/procfs", "/proc"));
  EXPECT_FALSE(IsAtOrBelow("/pro", "/proc"));
  EXPECT_TRUE(IsAtOrBelow("/anything", "/"));
}

TEST(SplitLastTest, ParentAndName) {
  EXPECT_EQ(SplitLast("/dev/pts"), std::make_pair(std::string("/dev"), std::string("pts")));
  EXPECT_EQ(SplitLast("/dev"), std::make_pair(std::string("/"), std::string("dev")));
  EXPECT_EQ(SplitLast("/"), std::make_pair(std::string("/"), std::string("")));
}

}  // namespace
}  // namespace hull
