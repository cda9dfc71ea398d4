// A directory that paths are resolved inside as if it were "/": the
// container's rootfs before pivot_root, "/" after it. No symlink planted in
// the image ("/etc/passwd -> /host/etc/passwd", "dest -> ../../..") leads
// out of it, and /proc magic links are refused, so a mount or a device
// node can never land on the host.
#ifndef HULL_BASE_ROOT_DIRECTORY_H_
#define HULL_BASE_ROOT_DIRECTORY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

namespace hull {

enum class NodeType { kDirectory, kFile };

class RootDirectory {
 public:
  // Opens the directory at `path`, an absolute host path.
  static absl::StatusOr<RootDirectory> Open(const std::string& path);

  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

  // An O_PATH fd of `path` (a container path), resolved with
  // openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS). NotFound when missing.
  absl::StatusOr<UniqueFd> Resolve(absl::string_view path) const;

  // Like Resolve, but no component of `path` may be a symlink, even one
  // that stays inside the root: FailedPrecondition naming the path when one
  // is (where procfs and sysfs go: CVE-2019-19921).
  absl::StatusOr<UniqueFd> ResolveWithoutSymlinks(absl::string_view path) const;

  // Like Resolve, but creates what is missing: parents as directories
  // (0755), the last component as `type` (a directory, or an empty 0644
  // file). A dangling symlink on the way is followed inside the root and
  // its target created there.
  absl::StatusOr<UniqueFd> ResolveOrCreate(absl::string_view path, NodeType type) const;

  struct Entry {
    UniqueFd parent;   // O_PATH fd of the parent directory
    std::string name;  // the last component, never "", "." or ".."
  };
  // The parent of `path` (resolved inside the root, created when `create`)
  // and the name in it, for operations on the entry itself: mknodat,
  // symlinkat, or an O_NOFOLLOW open.
  absl::StatusOr<Entry> ResolveParent(absl::string_view path, bool create) const;

  // `"/dev/null" in "/run/rootfs"`, for messages.
  std::string Describe(absl::string_view path) const;

 private:
  RootDirectory(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}

  absl::StatusOr<UniqueFd> Walk(absl::string_view path, NodeType type) const;
  // openat2 (O_PATH) of `path` below the root with `resolve` (RESOLVE_*):
  // the fd, or -1 with errno set.
  int OpenInRoot(absl::string_view path, uint64_t resolve) const;

  UniqueFd fd_;
  std::string path_;
};

// Fails with FailedPrecondition unless `fd` is on procfs. Before a mount or
// a write under /proc: an image can put a look-alike there
// (CVE-2019-16884).
absl::Status RequireProcfs(int fd, absl::string_view what);

// Whether `fd` is on procfs; false when fstatfs fails. For a check that a
// path is not there, which must not format RequireProcfs's error each time.
bool IsOnProcfs(int fd);

}  // namespace hull

#endif  // HULL_BASE_ROOT_DIRECTORY_H_
