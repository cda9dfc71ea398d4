// The container's cgroups on a host whose controllers are cgroup v1 (the v1
// and hybrid layouts): one directory per hierarchy, plus, on a hybrid host,
// one at the same place in the cgroup2 hierarchy at <root>/unified, which
// holds no controller the container uses but gives it a cgroup v2 identity
// (cgroup.events, the process's "0::" line), as runc's hybrid mode does.
#ifndef HULL_CGROUPS_V1_H_
#define HULL_CGROUPS_V1_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/hugepage_sizes.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "base/fd.h"

namespace hull::cgroups {

// The container's directory in one hierarchy.
struct CgroupDirectory {
  // The hierarchy's controllers ("cpu", "cpuacct", "name=systemd"); empty
  // for the cgroup2 hierarchy of a hybrid host.
  std::vector<std::string> controllers;
  std::string mount_point;
  // The container's cgroup, at or below `mount_point`.
  std::string path;
  // The topmost directory Create made (it and every one below it down to
  // `path` are the container's); "" when `path` existed already.
  std::string created;
};

struct V1Options {
  // Where the kernel lists its huge page sizes, for the hugetlb statistics.
  std::string hugepages_directory = std::string(kHugepagesDirectory);
};

class V1Manager final : public Manager {
 public:
  V1Manager(std::vector<CgroupDirectory> directories, std::unique_ptr<CgroupFs> fs,
            V1Options options = {});

  // Makes the directories; a new cpuset cgroup gets its parent's cpus and
  // mems (the kernel leaves them empty, and no process could join it). On
  // failure what it made is removed again.
  absl::Status Create() override;
  // Writes every resource to its controller's files in runc's order
  // (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio,
  // rdma). Before any write, every requested resource is checked against
  // the host: an unmounted controller or a knob this kernel lacks is
  // FailedPrecondition naming the controller ("... not supported"), a value
  // out of range InvalidArgument naming its JSON path; `unified` is refused.
  // Device rules: "a" is denied, then each rule is written in order to
  // devices.allow or devices.deny (the config carries the defaults).
  absl::Status Apply(const config::Resources& resources) override;
  absl::Status AddProcess(pid_t pid) override;
  // The `tasks` file of each v1 directory; on a hybrid host also the
  // cgroup2 directory.
  absl::StatusOr<CloneTargets> OpenCloneTargets() override;
  // freezer.state: FROZEN, then polls until the kernel reports FROZEN
  // (thawing briefly now and then, as runc does, so that a freeze racing
  // with forks completes); gives up after about a second, thawed.
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  // False when the freezer is not mounted.
  absl::StatusOr<bool> IsFrozen() override;
  // cgroup.procs of the freezer (else pids, memory, ...) directory and of
  // every cgroup below it.
  absl::StatusOr<std::vector<pid_t>> Processes() override;
  // Each process gets `signal`; for SIGKILL the cgroup is frozen first and
  // thawed after, so that no process forks away meanwhile (runc's
  // signalAllProcesses). Processes already gone are not an error.
  absl::Status Signal(int signal) override;
  absl::StatusOr<Stats> GetStats() override;
  // Removes the cgroups below the container's (made by its processes) and
  // the directories Create made, deepest first, retrying a busy rmdir a few
  // times; a parent still holding another container's cgroup stays. Never
  // removes a directory Create did not make.
  absl::Status Destroy() override;
  std::map<std::string, std::string> Paths() const override;
  std::map<std::string, std::string> CreatedPaths() const override;

 private:
  // The directory of `controller`, or nullptr when it is not mounted.
  const CgroupDirectory* Find(absl::string_view controller) const;
  // The directory of `controller`; FailedPrecondition naming `what` when
  // the controller is not mounted.
  absl::StatusOr<std::string> Require(absl::string_view controller, absl::string_view what) const;

  absl::Status MakeDirectories(CgroupDirectory& directory, std::vector<std::string>& made);
  absl::Status CheckSupported(const config::Resources& resources) const;
  absl::Status ApplyCpuset(const config::Cpu& cpu);
  absl::Status ApplyDevices(const config::Resources& resources);
  absl::Status ApplyMemory(const config::Memory& memory);
  absl::Status ApplyCpu(const config::Cpu& cpu);
  absl::Status ApplyPids(const config::Pids& pids);
  absl::Status ApplyBlockIo(const config::BlockIo& block_io);
  absl::Status ApplyHugetlb(const config::Resources& resources);
  absl::Status ApplyNetwork(const config::Network& network);
  absl::Status ApplyRdma(const config::Resources& resources);
  absl::Status WriteFreezerState(absl::string_view directory, absl::string_view state);
  // Reads and parses one number (UINT64_MAX for "max").
  absl::StatusOr<uint64_t> ReadUint(const std::string& path);

  absl::Status CpuStats(Stats& stats);
  absl::Status CpuacctStats(Stats& stats);
  absl::Status CpusetStats(Stats& stats);
  absl::Status MemoryStats(Stats& stats);
  absl::Status PidsStats(Stats& stats);
  absl::Status BlkioStats(Stats& stats);
  absl::Status HugetlbStats(Stats& stats);

  std::vector<CgroupDirectory> directories_;
  std::unique_ptr<CgroupFs> fs_;
  const V1Options options_;
};

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_V1_H_
