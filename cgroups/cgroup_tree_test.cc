#include "cgroups/cgroup_tree.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cgroups/cgroupfs.h"
#include "gtest/gtest.h"

namespace hull::cgroups {
namespace {

// A cgroupfs where only the existence of directories is known.
class ExistingDirectories final : public CgroupFs {
 public:
  explicit ExistingDirectories(std::set<std::string> existing) : existing_(std::move(existing)) {}

  bool Exists(const std::string& path) override { return existing_.count(path) > 0; }
  absl::StatusOr<std::string> ReadFile(const std::string&) override { return Unused(); }
  absl::Status WriteFile(const std::string&, absl::string_view) override { return Unused(); }
  absl::Status MakeDirectory(const std::string&) override { return Unused(); }
  absl::Status RemoveDirectory(const std::string&) override { return Unused(); }
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string&) override {
    return Unused();
  }
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string&) override { return Unused(); }
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string&) override { return Unused(); }
  absl::Status Kill(pid_t, int) override { return Unused(); }

 private:
  static absl::Status Unused() { return absl::UnimplementedError("not in this test"); }
  std::set<std::string> existing_;
};

TEST(TopmostMissingTest, IsTheFirstDirectoryCreateWouldMake) {
  ExistingDirectories fs({"/", "/sys", "/sys/fs", "/sys/fs/cgroup", "/sys/fs/cgroup/hull"});
  EXPECT_EQ(TopmostMissing(fs, "/sys/fs/cgroup/hull/web"), "/sys/fs/cgroup/hull/web");
  EXPECT_EQ(TopmostMissing(fs, "/sys/fs/cgroup/a/b/c"), "/sys/fs/cgroup/a");
  EXPECT_EQ(TopmostMissing(fs, "/sys/fs/cgroup/hull"), "");
}

}  // namespace
}  // namespace hull::cgroups
