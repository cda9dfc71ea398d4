// A cgroup filesystem in a test's temporary directory, shaped like the
// host's /sys/fs/cgroup (v1, hybrid or v2), so that the cgroup managers'
// Create/Apply/GetStats/Destroy logic runs hermetically and tests check file
// contents.
//
// The tree is plain files and directories under <directory>/sys/fs/cgroup.
// Its CgroupFs (NewFs) behaves as the kernel does where the managers depend
// on it: making a cgroup directory fills it with its hierarchy's control
// files (v2: the controllers enabled in the parent's cgroup.subtree_control,
// which writes of "+ctrl -ctrl" maintain); writing a pid appends it to
// cgroup.procs; other writes replace the file's contents; control files are
// never created by writes; rmdir refuses (EBUSY) a cgroup that has children
// or processes and removes its control files otherwise. Every write and kill
// is logged, and every read, mkdir, rmdir and listing; reads, writes and
// removals can be made to fail.
#ifndef HULL_TESTING_FAKE_CGROUPFS_H_
#define HULL_TESTING_FAKE_CGROUPFS_H_

#include <sys/types.h>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"

namespace hull::testing {

class FakeCgroupfs {
 public:
  struct Options {
    cgroups::CgroupMode mode = cgroups::CgroupMode::kHybrid;
    // v1 and hybrid: the hierarchies, each the controllers mounted together
    // (at <root>/<controllers joined by ','>; "name=systemd" at "systemd").
    // Empty: this machine's: cpu, cpuacct, cpuset, memory, devices, freezer,
    // blkio, pids, name=systemd, each alone.
    std::vector<std::vector<std::string>> v1_hierarchies;
    // The controllers the cgroup2 root offers. Empty: "hugetlb" on hybrid
    // (as here), "cpuset cpu io memory hugetlb pids rdma misc" on v2.
    std::vector<std::string> v2_controllers;
    // The test process's cgroup in every hierarchy (made in the tree).
    std::string own_cgroup = "/";
  };

  // Builds the tree under `directory`, which must exist.
  static absl::StatusOr<std::unique_ptr<FakeCgroupfs>> Create(const std::string& directory,
                                                              Options options);
  static absl::StatusOr<std::unique_ptr<FakeCgroupfs>> Create(const std::string& directory) {
    return Create(directory, Options());
  }

  // <directory>/sys/fs/cgroup.
  const std::string& root() const { return root_; }
  // What the fake host's statfs, /proc/self/mountinfo and /proc/self/cgroup
  // say, parsed by cgroups::ParseLayout.
  const cgroups::Layout& layout() const { return layout_; }
  const std::string& mountinfo() const { return mountinfo_; }
  const std::string& own_cgroups() const { return own_cgroups_; }

  // A CgroupFs over this tree, which must outlive it.
  std::unique_ptr<cgroups::CgroupFs> NewFs();

  // The contents of a file of the tree (not logged, never failed).
  absl::StatusOr<std::string> Contents(const std::string& path) const;
  // Sets a file's contents, creating it: what the kernel would change (usage
  // counters, cgroup.procs, a file this kernel has).
  absl::Status SetContents(const std::string& path, const std::string& contents);
  // Removes a file: a knob this kernel lacks.
  absl::Status RemoveFile(const std::string& path);
  bool IsDirectory(const std::string& path) const;

  // Every successful CgroupFs::WriteFile, in order: (path, value).
  const std::vector<std::pair<std::string, std::string>>& writes() const { return writes_; }
  // The values written to `path`, in order.
  std::vector<std::string> WritesTo(const std::string& path) const;
  void ClearWrites() { writes_.clear(); }
  // Every CgroupFs::ReadFile, MakeDirectory, RemoveDirectory and
  // ListDirectories, in order, successful or not: "read <path>", "mkdir
  // <path>", "rmdir <path>", "list <path>" (what a manager costs the kernel).
  const std::vector<std::string>& operations() const { return operations_; }
  void ClearOperations() { operations_.clear(); }
  // Every CgroupFs::Kill: (pid, signal).
  const std::vector<std::pair<pid_t, int>>& kills() const { return kills_; }

  // The next `times` writes to `path` fail with `status` (all of them until
  // ClearFailures by default).
  void FailWrites(const std::string& path, absl::Status status,
                  int times = std::numeric_limits<int>::max());
  // The next `times` rmdirs of `path` fail with `status`.
  void FailRemovals(const std::string& path, absl::Status status, int times);
  // Runs `action` once, just before the next mkdir of `path`: another
  // process racing with the manager, say.
  void BeforeMakeDirectory(const std::string& path, std::function<void()> action);
  // The next reads of `path` return these, in order, before its contents.
  void QueueReads(const std::string& path, std::vector<std::string> contents);
  void ClearFailures();

 private:
  friend class FakeCgroupFsOps;
  explicit FakeCgroupfs(Options options) : options_(std::move(options)) {}

  absl::Status Build(const std::string& directory);
  // The control files a new cgroup at `path` gets, name -> contents.
  absl::StatusOr<std::map<std::string, std::string>> ControlFiles(const std::string& path,
                                                                  bool is_root) const;
  absl::Status MakeCgroup(const std::string& path, bool is_root);
  absl::Status WriteSubtreeControl(const std::string& path, const std::string& value);

  absl::StatusOr<std::string> Read(const std::string& path);
  absl::Status Write(const std::string& path, const std::string& value);
  absl::Status MakeDirectory(const std::string& path);
  absl::Status RemoveDirectory(const std::string& path);

  Options options_;
  std::string root_;
  std::string unified_;  // the cgroup2 mount point, "" on v1
  std::vector<std::pair<std::string, std::vector<std::string>>> v1_mounts_;  // mount point, controllers
  cgroups::Layout layout_;
  std::string mountinfo_;
  std::string own_cgroups_;

  std::vector<std::pair<std::string, std::string>> writes_;
  std::vector<std::string> operations_;
  std::vector<std::pair<pid_t, int>> kills_;
  std::map<std::string, std::pair<absl::Status, int>> write_failures_;
  std::map<std::string, std::pair<absl::Status, int>> removal_failures_;
  std::map<std::string, std::function<void()>> before_mkdir_;
  std::map<std::string, std::vector<std::string>> queued_reads_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_FAKE_CGROUPFS_H_
