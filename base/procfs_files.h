// Reading and writing files under /proc, refusing anything that is not procfs.
//
// A container image or a racing container process can put a symlink, a bind
// mount or a fake file where /proc/... should be; a write meant for the kernel
// (a sysctl, oom_score_adj) would then land on a file of the attacker's
// choosing. Every file is opened beneath the procfs mount without following
// magic links or a final symlink, and its filesystem type is checked with
// fstatfs before it is used.
#ifndef HULL_BASE_PROCFS_FILES_H_
#define HULL_BASE_PROCFS_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

namespace hull {

// Files of the procfs mounted in the caller's mount namespace. Paths are
// relative to the procfs mount: "sys/net/ipv4/ip_forward",
// "self/oom_score_adj".
class ProcFiles {
 public:
  virtual ~ProcFiles() = default;

  // Writes `value` with a single write(2), as sysctls require.
  virtual absl::Status Write(absl::string_view path, absl::string_view value) = 0;

  // The whole contents of the file.
  virtual absl::StatusOr<std::string> Read(absl::string_view path) = 0;
};

class LinuxProcFiles final : public ProcFiles {
 public:
  // `mount_point` is where procfs is mounted: "/proc" in the container's
  // init, after pivot_root.
  explicit LinuxProcFiles(std::string mount_point = "/proc");

  absl::Status Write(absl::string_view path, absl::string_view value) override;
  absl::StatusOr<std::string> Read(absl::string_view path) override;

  // Holds on to the procfs at the mount point now (checked to be procfs):
  // later opens go through it, so that it stays in reach after a chroot or
  // setns that leaves no procfs there (a container without a mount
  // namespace of its own).
  absl::Status Pin();
  // The pinned procfs root, or -1.
  int pinned() const { return pinned_.get(); }

 private:
  std::string mount_point_;
  UniqueFd pinned_;
};

}  // namespace hull

#endif  // HULL_BASE_PROCFS_FILES_H_
