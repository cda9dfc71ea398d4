#include "cgroups/v1_fake_host.h"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "gmock/gmock.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {

using ::hull::testing::FakeCgroupfs;
using ::hull::testing::IsOk;

void V1FakeHostTest::MakeHost(FakeCgroupfs::Options options) {
  const std::string dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  hugepages_ = dir + "/hugepages";
  ASSERT_EQ(mkdir(hugepages_.c_str(), 0755), 0);
  absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(dir, options);
  ASSERT_THAT(tree, IsOk());
  tree_ = *std::move(tree);
}

std::vector<CgroupDirectory> V1FakeHostTest::Directories() const {
  std::vector<CgroupDirectory> directories;
  const Layout& layout = tree_->layout();
  for (const Hierarchy& hierarchy : layout.v1) {
    directories.push_back({.controllers = hierarchy.controllers,
                           .mount_point = hierarchy.mount_point,
                           .path = hierarchy.mount_point + "/hull/c"});
  }
  if (layout.unified.has_value()) {
    directories.push_back({.mount_point = layout.unified->mount_point,
                           .path = layout.unified->mount_point + "/hull/c"});
  }
  return directories;
}

void V1FakeHostTest::MakeDirectories() {
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  for (const CgroupDirectory& directory : Directories()) {
    ASSERT_THAT(fs->MakeDirectory(directory.mount_point + "/hull"), IsOk());
    ASSERT_THAT(fs->MakeDirectory(directory.path), IsOk());
  }
}

std::string V1FakeHostTest::Dir(const std::string& hierarchy) const {
  return absl::StrCat(tree_->root(), "/", hierarchy, "/hull/c");
}

std::string V1FakeHostTest::File(const std::string& hierarchy, const std::string& file) const {
  return absl::StrCat(Dir(hierarchy), "/", file);
}

std::string V1FakeHostTest::Contents(const std::string& hierarchy, const std::string& file) const {
  absl::StatusOr<std::string> contents = tree_->Contents(File(hierarchy, file));
  EXPECT_THAT(contents, IsOk());
  return contents.value_or("");
}

void V1FakeHostTest::Set(const std::string& hierarchy, const std::string& file,
                         const std::string& contents) {
  ASSERT_THAT(tree_->SetContents(File(hierarchy, file), contents), IsOk());
}

}  // namespace hull::cgroups
