// The kernel operations a cgroup manager performs: control files and
// directories of a cgroup filesystem, and signals to the processes listed
// there. Behind an interface so that the managers' logic is tested against
// a fake tree (testing/fake_cgroupfs.h); LinuxCgroupFs does the syscalls.
//
// Errors carry the path (or pid) and strerror; their codes follow errno as
// absl::ErrnoToStatus maps it (EBUSY and ENOTEMPTY: FailedPrecondition,
// ENOENT and ESRCH: NotFound, EEXIST: AlreadyExists, EINVAL:
// InvalidArgument).
#ifndef HULL_CGROUPS_CGROUPFS_H_
#define HULL_CGROUPS_CGROUPFS_H_

#include <sys/types.h>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "cgroups/layout.h"

namespace hull::cgroups {

class CgroupFs {
 public:
  virtual ~CgroupFs() = default;

  // The whole contents of a control file.
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) = 0;
  // Writes `value` to an existing control file in one write(2): the kernel
  // takes each write as one command.
  virtual absl::Status WriteFile(const std::string& path, absl::string_view value) = 0;
  // Writes each of `values`, in order, in its own write(2): one command each
  // (a v1 devices rule). By default one WriteFile each; LinuxCgroupFs opens
  // the file once for them all.
  virtual absl::Status WriteEach(const std::string& path, absl::Span<const std::string> values);
  virtual bool Exists(const std::string& path) = 0;
  // mkdir(2), mode 0755.
  virtual absl::Status MakeDirectory(const std::string& path) = 0;
  // rmdir(2).
  virtual absl::Status RemoveDirectory(const std::string& path) = 0;
  // Names of the subdirectories (child cgroups) of `path`, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) = 0;
  // O_RDONLY | O_DIRECTORY, as clone3's CLONE_INTO_CGROUP requires.
  virtual absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) = 0;
  // O_WRONLY: a control file written later, by another process (a v1
  // `tasks` file, Manager::OpenCloneTargets).
  virtual absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) = 0;
  // kill(2).
  virtual absl::Status Kill(pid_t pid, int signal) = 0;
};

// "<directory>/<name>": a control file of a cgroup directory.
std::string CgroupFile(absl::string_view directory, absl::string_view name);

// The contents of `path`; nullopt when it does not exist (a file this kernel
// or controller lacks): one read where a test of Exists and a read would be
// two syscalls.
absl::StatusOr<std::optional<std::string>> ReadOptionalFile(CgroupFs& fs, const std::string& path);

// Makes every missing directory from below `mount_point` down to `path`,
// top first, appending each one it made to `made`. `before_mkdir(parent)`
// runs before each mkdir (cgroup v2 enables controllers there), and
// `after_made(directory, parent)` after each directory made (a v1 cpuset
// gets its parent's cpus). A parent that was there and is gone (another
// container made it and removed it at its delete, between two of our
// steps) makes the chain again, from the top, a few times at most.
absl::Status MakeDirectoryChain(
    CgroupFs& fs, const std::string& mount_point, const std::string& path,
    const std::function<absl::Status(const std::string& parent)>& before_mkdir,
    const std::function<absl::Status(const std::string& directory, const std::string& parent)>&
        after_made,
    std::vector<std::string>& made);

// Paths below `root` (the host's cgroup mount root by default) are walked
// from a descriptor of it, opened at first use, rather than from "/": every
// walk from "/" looks up sysfs's "fs" and "cgroup", under the lock of sysfs
// that each new network namespace takes to register its loopback device, so
// parallel creates queued there. Other paths are used as they are.
class LinuxCgroupFs final : public CgroupFs {
 public:
  explicit LinuxCgroupFs(absl::string_view root = kCgroupRoot) : root_path_(root) {}

  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::Status WriteFile(const std::string& path, absl::string_view value) override;
  absl::Status WriteEach(const std::string& path, absl::Span<const std::string> values) override;
  bool Exists(const std::string& path) override;
  absl::Status MakeDirectory(const std::string& path) override;
  absl::Status RemoveDirectory(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) override;
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) override;
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) override;
  absl::Status Kill(pid_t pid, int signal) override;

 private:
  // Where the syscalls on `path` start: a directory fd and the path from it.
  struct Start {
    int directory;
    const char* relative;
  };
  Start StartOf(const std::string& path);

  const std::string root_path_;
  std::once_flag root_opened_;
  UniqueFd root_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_CGROUPFS_H_
