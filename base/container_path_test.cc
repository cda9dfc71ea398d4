#include "base/container_path.h"

#include "gtest/gtest.h"

namespace hull {
namespace {

TEST(CleanContainerPathTest, ResolvesDotsByText) {
  EXPECT_EQ(CleanContainerPath("/a//b/./c/../d/"), "/a/b/d");
  EXPECT_EQ(CleanContainerPath("a/b"), "/a/b");
  EXPECT_EQ(CleanContainerPath("/../../etc"), "/etc");
  EXPECT_EQ(CleanContainerPath(""), "/");
  EXPECT_EQ(CleanContainerPath("/.."), "/");
  EXPECT_EQ(CleanContainerPath("/"), "/");
  EXPECT_EQ(CleanContainerPath("//"), "/");
  EXPECT_EQ(CleanContainerPath("."), "/");
  EXPECT_EQ(CleanContainerPath("/a/.."), "/");
  EXPECT_EQ(CleanContainerPath("/a/b/.."), "/a");
  EXPECT_EQ(CleanContainerPath("/a/b/../../c/./d/.."), "/c");
  EXPECT_EQ(CleanContainerPath("/a/..b/.c/..."), "/a/..b/.c/...");
  EXPECT_EQ(CleanContainerPath("sys/fs/cgroup/"), "/sys/fs/cgroup");
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
