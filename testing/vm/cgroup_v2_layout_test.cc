// The layout the cgroup v2 tests find in the VM (run through vm_test): a pure
// cgroup v2 hierarchy with every controller, the test in its root cgroup, and
// a writable TEST_TMPDIR. Fails on a v1 or hybrid host, so it is tagged manual.
#include <linux/magic.h>
#include <sys/statfs.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"

namespace {

using ::hull::testing::ReadFile;

using ::testing::IsSupersetOf;

TEST(CgroupV2LayoutTest, SysFsCgroupIsCgroup2) {
  struct statfs fs;
  ASSERT_EQ(statfs("/sys/fs/cgroup", &fs), 0) << std::strerror(errno);
  EXPECT_EQ(fs.f_type, CGROUP2_SUPER_MAGIC);
}

TEST(CgroupV2LayoutTest, RootHasTheControllersHullUses) {
  std::istringstream controllers(ReadFile("/sys/fs/cgroup/cgroup.controllers").value_or(""));
  std::vector<std::string> names;
  for (std::string name; controllers >> name;) names.push_back(name);
  EXPECT_THAT(names, IsSupersetOf({"cpu", "cpuset", "io", "memory", "pids"}));
}

TEST(CgroupV2LayoutTest, TestRunsInTheRootCgroup) {
  EXPECT_EQ(ReadFile("/proc/self/cgroup").value_or(""), "0::/\n");
}

TEST(CgroupV2LayoutTest, TestTmpdirIsWritable) {
  const char* tmpdir = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmpdir, nullptr);
  const std::string path = std::string(tmpdir) + "/written";
  std::ofstream(path) << "written\n";
  EXPECT_EQ(ReadFile(path).value_or(""), "written\n");
}

}  // namespace
