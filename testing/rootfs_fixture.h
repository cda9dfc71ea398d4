// A busybox root filesystem (//testing/rootfs:busybox_rootfs) extracted
// into a fresh directory under TEST_TMPDIR, removed again with the object.
// Depending on //testing:rootfs_fixture brings the archive into the test's
// runfiles.
#ifndef HULL_TESTING_ROOTFS_FIXTURE_H_
#define HULL_TESTING_ROOTFS_FIXTURE_H_

#include <string>

#include "absl/status/statusor.h"

namespace hull::testing {

class RootfsFixture {
 public:
  // bin/ (busybox and its applets), etc/passwd, etc/group and empty proc,
  // sys, dev, tmp, root, home/user; in a new directory under `parent`
  // (default: TEST_TMPDIR).
  static absl::StatusOr<RootfsFixture> Create(const std::string& parent = "");

  RootfsFixture(RootfsFixture&& other) noexcept;
  RootfsFixture& operator=(RootfsFixture&& other) noexcept;
  RootfsFixture(const RootfsFixture&) = delete;
  RootfsFixture& operator=(const RootfsFixture&) = delete;
  // Removes the tree, staying on its filesystem: never below a mount point
  // (mounts a test leaks in this namespace are left alone, not emptied).
  ~RootfsFixture();

  // The absolute path of the root filesystem, without symlinks.
  const std::string& path() const { return path_; }

 private:
  explicit RootfsFixture(std::string path) : path_(std::move(path)) {}

  std::string path_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_ROOTFS_FIXTURE_H_
