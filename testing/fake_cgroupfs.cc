#include "testing/fake_cgroupfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "testing/files.h"

namespace hull::testing {
namespace {

using ControlFileMap = std::map<std::string, std::string>;

constexpr char kUnlimited[] = "9223372036854771712\n";
constexpr char kPressure[] =
    "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

// The files of one v1 controller in a cgroup (as on this machine's kernel).
ControlFileMap V1ControllerFiles(const std::string& controller) {
  if (controller == "cpu") {
    return {{"cpu.shares", "1024\n"},          {"cpu.cfs_period_us", "100000\n"},
            {"cpu.cfs_quota_us", "-1\n"},      {"cpu.cfs_burst_us", "0\n"},
            {"cpu.rt_period_us", "1000000\n"}, {"cpu.rt_runtime_us", "0\n"},
            {"cpu.idle", "0\n"},
            {"cpu.stat",
             "nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n"}};
  }
  if (controller == "cpuacct") {
    return {{"cpuacct.usage", "0\n"},
            {"cpuacct.usage_user", "0\n"},
            {"cpuacct.usage_sys", "0\n"},
            {"cpuacct.usage_percpu", "0 0 \n"},
            {"cpuacct.usage_percpu_user", "0 0 \n"},
            {"cpuacct.usage_percpu_sys", "0 0 \n"},
            {"cpuacct.usage_all", "cpu user system\n0 0 0\n1 0 0\n"},
            {"cpuacct.stat", "user 0\nsystem 0\n"}};
  }
  if (controller == "cpuset") {
    return {{"cpuset.cpus", "\n"},
            {"cpuset.mems", "\n"},
            {"cpuset.effective_cpus", "\n"},
            {"cpuset.effective_mems", "\n"},
            {"cpuset.cpu_exclusive", "0\n"},
            {"cpuset.mem_exclusive", "0\n"},
            {"cpuset.mem_hardwall", "0\n"},
            {"cpuset.memory_migrate", "0\n"},
            {"cpuset.memory_pressure", "0\n"},
            {"cpuset.memory_spread_page", "0\n"},
            {"cpuset.memory_spread_slab", "0\n"},
            {"cpuset.sched_load_balance", "1\n"},
            {"cpuset.sched_relax_domain_level", "-1\n"}};
  }
  if (controller == "memory") {
    ControlFileMap files = {
        {"memory.soft_limit_in_bytes", kUnlimited},
        {"memory.swappiness", "60\n"},
        {"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"},
        {"memory.use_hierarchy", "1\n"},
        {"memory.move_charge_at_immigrate", "0\n"},
        {"memory.pressure_level", ""},
        {"memory.stat", "cache 0\nrss 0\nrss_huge 0\nmapped_file 0\nswap 0\npgfault 0\n"
                        "hierarchical_memory_limit 9223372036854771712\ntotal_cache 0\n"
                        "total_rss 0\n"}};
    for (const char* counter : {"memory", "memory.memsw", "memory.kmem", "memory.kmem.tcp"}) {
      files[absl::StrCat(counter, ".limit_in_bytes")] = kUnlimited;
      files[absl::StrCat(counter, ".usage_in_bytes")] = "0\n";
      files[absl::StrCat(counter, ".max_usage_in_bytes")] = "0\n";
      files[absl::StrCat(counter, ".failcnt")] = "0\n";
    }
    return files;
  }
  if (controller == "devices") {
    return {{"devices.allow", ""}, {"devices.deny", ""}, {"devices.list", "a *:* rwm\n"}};
  }
  if (controller == "freezer") {
    return {{"freezer.state", "THAWED\n"},
            {"freezer.self_freezing", "0\n"},
            {"freezer.parent_freezing", "0\n"}};
  }
  if (controller == "blkio") {
    // BFQ is the scheduler here: no CFQ blkio.weight.
    return {{"blkio.bfq.weight", "default 100\n"},
            {"blkio.bfq.weight_device", ""},
            {"blkio.bfq.io_service_bytes_recursive", "Total 0\n"},
            {"blkio.bfq.io_serviced_recursive", "Total 0\n"},
            {"blkio.throttle.read_bps_device", ""},
            {"blkio.throttle.write_bps_device", ""},
            {"blkio.throttle.read_iops_device", ""},
            {"blkio.throttle.write_iops_device", ""},
            {"blkio.throttle.io_service_bytes_recursive", "Total 0\n"},
            {"blkio.throttle.io_serviced_recursive", "Total 0\n"},
            {"blkio.reset_stats", ""}};
  }
  if (controller == "pids") {
    return {{"pids.max", "max\n"}, {"pids.current", "0\n"}, {"pids.events", "max 0\n"},
            {"pids.peak", "0\n"}};
  }
  if (controller == "hugetlb") {
    ControlFileMap files;
    for (const char* size : {"2MB", "1GB"}) {
      for (const char* kind : {"", ".rsvd"}) {
        const std::string prefix = absl::StrCat("hugetlb.", size, kind);
        files[prefix + ".limit_in_bytes"] = kUnlimited;
        files[prefix + ".usage_in_bytes"] = "0\n";
        files[prefix + ".max_usage_in_bytes"] = "0\n";
        files[prefix + ".failcnt"] = "0\n";
      }
    }
    return files;
  }
  if (controller == "net_cls") return {{"net_cls.classid", "0\n"}};
  if (controller == "net_prio") {
    return {{"net_prio.prioidx", "1\n"}, {"net_prio.ifpriomap", "lo 0\n"}};
  }
  if (controller == "rdma") return {{"rdma.max", ""}, {"rdma.current", ""}};
  if (controller == "misc") return {{"misc.max", ""}, {"misc.current", ""}};
  return {};  // name=systemd, perf_event: nothing of their own
}

// The files a cgroup2 controller adds to a cgroup whose parent enables it.
ControlFileMap V2ControllerFiles(const std::string& controller) {
  if (controller == "cpu") {
    return {{"cpu.weight", "100\n"},  {"cpu.weight.nice", "0\n"}, {"cpu.max", "max 100000\n"},
            {"cpu.max.burst", "0\n"}, {"cpu.idle", "0\n"}};
  }
  if (controller == "cpuset") {
    return {{"cpuset.cpus", "\n"},
            {"cpuset.mems", "\n"},
            {"cpuset.cpus.effective", "0-1\n"},
            {"cpuset.mems.effective", "0\n"},
            {"cpuset.cpus.partition", "member\n"}};
  }
  if (controller == "io") {
    return {{"io.max", ""}, {"io.weight", "default 100\n"}, {"io.stat", ""}};
  }
  if (controller == "memory") {
    return {{"memory.current", "0\n"},
            {"memory.min", "0\n"},
            {"memory.low", "0\n"},
            {"memory.high", "max\n"},
            {"memory.max", "max\n"},
            {"memory.peak", "0\n"},
            {"memory.oom.group", "0\n"},
            {"memory.swap.current", "0\n"},
            {"memory.swap.high", "max\n"},
            {"memory.swap.max", "max\n"},
            {"memory.swap.peak", "0\n"},
            {"memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"},
            {"memory.events.local",
             "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"},
            {"memory.stat", "anon 0\nfile 0\nkernel 0\nsock 0\nshmem 0\n"}};
  }
  if (controller == "pids") {
    return {{"pids.max", "max\n"}, {"pids.current", "0\n"}, {"pids.events", "max 0\n"},
            {"pids.peak", "0\n"}};
  }
  if (controller == "hugetlb") {
    ControlFileMap files;
    for (const char* size : {"2MB", "1GB"}) {
      for (const char* kind : {"", ".rsvd"}) {
        const std::string prefix = absl::StrCat("hugetlb.", size, kind);
        files[prefix + ".max"] = "max\n";
        files[prefix + ".current"] = "0\n";
      }
      files[absl::StrCat("hugetlb.", size, ".events")] = "max 0\n";
    }
    return files;
  }
  if (controller == "rdma") return {{"rdma.max", ""}, {"rdma.current", ""}};
  if (controller == "misc") return {{"misc.max", ""}, {"misc.current", ""}, {"misc.events", ""}};
  return {};
}

std::string DirectoryName(const std::vector<std::string>& controllers) {
  std::vector<std::string> names;
  for (const std::string& controller : controllers) {
    names.push_back(std::string(absl::StripPrefix(controller, "name=")));
  }
  return absl::StrJoin(names, ",");
}

// A mountinfo path: spaces and the like octal-escaped.
std::string Escape(const std::string& path) {
  return absl::StrReplaceAll(path, {{" ", "\\040"}, {"\t", "\\011"}, {"\n", "\\012"}});
}

absl::StatusOr<std::string> ReadPlainFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return ErrnoStatus("open ", path);
  if (S_ISDIR(st.st_mode)) return absl::ErrnoToStatus(EISDIR, absl::StrCat("read ", path));
  return ::hull::testing::ReadFile(path);
}

std::vector<std::string> Entries(const std::string& path, bool directories) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return names;
  while (const struct dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (lstat(absl::StrCat(path, "/", name).c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode) == directories) names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string Parent(const std::string& path) { return path.substr(0, path.rfind('/')); }

}  // namespace

// The CgroupFs of a FakeCgroupfs.
class FakeCgroupFsOps final : public cgroups::CgroupFs {
 public:
  explicit FakeCgroupFsOps(FakeCgroupfs* tree) : tree_(tree) {}

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    tree_->operations_.push_back(absl::StrCat("read ", path));
    return tree_->Read(path);
  }
  absl::Status WriteFile(const std::string& path, absl::string_view value) override {
    return tree_->Write(path, std::string(value));
  }
  bool Exists(const std::string& path) override { return ::hull::testing::Exists(path); }
  absl::Status MakeDirectory(const std::string& path) override {
    tree_->operations_.push_back(absl::StrCat("mkdir ", path));
    return tree_->MakeDirectory(path);
  }
  absl::Status RemoveDirectory(const std::string& path) override {
    tree_->operations_.push_back(absl::StrCat("rmdir ", path));
    return tree_->RemoveDirectory(path);
  }
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) override {
    tree_->operations_.push_back(absl::StrCat("list ", path));
    if (!tree_->IsDirectory(path)) {
      return absl::ErrnoToStatus(ENOENT, absl::StrCat("opendir ", path));
    }
    return Entries(path, /*directories=*/true);
  }
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) override {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus("open ", path);
    return fd;
  }
  // The tree's plain file: writes through the fd are not logged.
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) override {
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus("open ", path);
    return fd;
  }
  absl::Status Kill(pid_t pid, int signal) override {
    tree_->kills_.emplace_back(pid, signal);
    return absl::OkStatus();
  }

 private:
  FakeCgroupfs* tree_;
};

absl::StatusOr<std::unique_ptr<FakeCgroupfs>> FakeCgroupfs::Create(const std::string& directory,
                                                                   Options options) {
  std::unique_ptr<FakeCgroupfs> tree(new FakeCgroupfs(std::move(options)));
  RETURN_IF_ERROR(tree->Build(directory));
  return tree;
}

absl::Status FakeCgroupfs::Build(const std::string& directory) {
  using cgroups::CgroupMode;
  const CgroupMode mode = options_.mode;
  if (options_.v1_hierarchies.empty()) {
    options_.v1_hierarchies = {{"cpu"},     {"cpuacct"}, {"cpuset"}, {"memory"},      {"devices"},
                               {"freezer"}, {"blkio"},   {"pids"},   {"name=systemd"}};
  }
  if (options_.v2_controllers.empty()) {
    options_.v2_controllers =
        mode == CgroupMode::kV2
            ? std::vector<std::string>{"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma",
                                       "misc"}
            : std::vector<std::string>{"hugetlb"};
  }
  root_ = absl::StrCat(directory, "/sys/fs/cgroup");
  for (const std::string& dir : {absl::StrCat(directory, "/sys"), absl::StrCat(directory, "/sys/fs"), root_}) {
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir ", dir);
    }
  }

  int mount_id = 100;
  int hierarchy_id = 1;
  cgroups::RootFilesystems filesystems;
  if (mode == CgroupMode::kV2) {
    filesystems.root = CGROUP2_SUPER_MAGIC;
    unified_ = root_;
    absl::StrAppend(&mountinfo_, mount_id++, " 1 0:30 / ", Escape(root_),
                    " rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n");
  } else {
    filesystems.root = TMPFS_MAGIC;
    const int tmpfs_id = mount_id++;
    absl::StrAppend(&mountinfo_, tmpfs_id, " 1 0:28 / ", Escape(root_),
                    " rw,relatime - tmpfs tmpfs rw,mode=755\n");
    for (const std::vector<std::string>& controllers : options_.v1_hierarchies) {
      const std::string mount_point = absl::StrCat(root_, "/", DirectoryName(controllers));
      if (mkdir(mount_point.c_str(), 0755) != 0) {
        return ErrnoStatus("mkdir ", mount_point);
      }
      v1_mounts_.emplace_back(mount_point, controllers);
      absl::StrAppend(&mountinfo_, mount_id++, " ", tmpfs_id, " 0:", 40 + hierarchy_id, " / ",
                      Escape(mount_point), " rw,relatime - cgroup cgroup rw,",
                      absl::StrJoin(controllers, ","), "\n");
      absl::StrAppend(&own_cgroups_, hierarchy_id++, ":", absl::StrJoin(controllers, ","), ":",
                      options_.own_cgroup, "\n");
      RETURN_IF_ERROR(MakeCgroup(mount_point, /*is_root=*/true));
    }
    if (mode == CgroupMode::kHybrid) {
      filesystems.unified = CGROUP2_SUPER_MAGIC;
      unified_ = absl::StrCat(root_, "/unified");
      if (mkdir(unified_.c_str(), 0755) != 0) {
        return ErrnoStatus("mkdir ", unified_);
      }
      absl::StrAppend(&mountinfo_, mount_id++, " ", tmpfs_id, " 0:38 / ", Escape(unified_),
                      " rw,relatime - cgroup2 cgroup2 rw\n");
    }
  }
  if (!unified_.empty()) {
    absl::StrAppend(&own_cgroups_, "0::", options_.own_cgroup, "\n");
    RETURN_IF_ERROR(MakeCgroup(unified_, /*is_root=*/true));
  }
  ASSIGN_OR_RETURN(layout_, cgroups::ParseLayout(root_, filesystems, mountinfo_, own_cgroups_));

  // The test process's own cgroup, in every hierarchy.
  if (options_.own_cgroup != "/") {
    std::vector<std::string> mount_points;
    for (const auto& [mount_point, controllers] : v1_mounts_) mount_points.push_back(mount_point);
    if (!unified_.empty()) mount_points.push_back(unified_);
    for (const std::string& mount_point : mount_points) {
      std::string path = mount_point;
      for (absl::string_view part : absl::StrSplit(options_.own_cgroup, '/', absl::SkipEmpty())) {
        absl::StrAppend(&path, "/", part);
        RETURN_IF_ERROR(MakeCgroup(path, /*is_root=*/false));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> FakeCgroupfs::ControlFiles(
    const std::string& path, bool is_root) const {
  for (const auto& [mount_point, controllers] : v1_mounts_) {
    if (path != mount_point && !absl::StartsWith(path, mount_point + "/")) continue;
    ControlFileMap files = {{"cgroup.procs", ""},
                            {"tasks", ""},
                            {"notify_on_release", "0\n"},
                            {"cgroup.clone_children", "0\n"}};
    for (const std::string& controller : controllers) {
      files.merge(V1ControllerFiles(controller));
    }
    if (is_root) {
      files.erase("freezer.state");
      files.erase("pids.max");
      if (files.count("cpuset.cpus")) {
        files["cpuset.cpus"] = files["cpuset.effective_cpus"] = "0-1\n";
        files["cpuset.mems"] = files["cpuset.effective_mems"] = "0\n";
      }
    }
    return files;
  }
  if (!unified_.empty() && (path == unified_ || absl::StartsWith(path, unified_ + "/"))) {
    ControlFileMap files = {{"cgroup.procs", ""},
                            {"cgroup.threads", ""},
                            {"cgroup.subtree_control", ""},
                            {"cgroup.events", "populated 0\nfrozen 0\n"},
                            {"cgroup.freeze", "0\n"},
                            {"cgroup.kill", ""},
                            {"cgroup.type", "domain\n"},
                            {"cgroup.max.depth", "max\n"},
                            {"cgroup.max.descendants", "max\n"},
                            {"cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n"},
                            {"cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"},
                            {"cpu.pressure", kPressure},
                            {"memory.pressure", kPressure},
                            {"io.pressure", kPressure}};
    std::vector<std::string> enabled;
    if (is_root) {
      enabled = options_.v2_controllers;
    } else {
      ASSIGN_OR_RETURN(std::string parent,
                       ReadPlainFile(absl::StrCat(Parent(path), "/cgroup.subtree_control")));
      enabled = absl::StrSplit(parent, absl::ByAnyChar(" \n"), absl::SkipEmpty());
    }
    files["cgroup.controllers"] = enabled.empty() ? "\n" : absl::StrCat(absl::StrJoin(enabled, " "), "\n");
    if (!is_root) {
      for (const std::string& controller : enabled) {
        if (controller == "cpu") {
          files["cpu.stat"] +=
              "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n";
        }
        files.merge(V2ControllerFiles(controller));
      }
    }
    return files;
  }
  return absl::NotFoundError(absl::StrCat(path, " is in no hierarchy of the fake tree"));
}

absl::Status FakeCgroupfs::MakeCgroup(const std::string& path, bool is_root) {
  if (!is_root && mkdir(path.c_str(), 0755) != 0) {
    return ErrnoStatus("mkdir ", path);
  }
  ASSIGN_OR_RETURN(ControlFileMap files, ControlFiles(path, is_root));
  for (const auto& [name, contents] : files) {
    RETURN_IF_ERROR(::hull::testing::WriteFile(absl::StrCat(path, "/", name), contents));
  }
  return absl::OkStatus();
}

std::unique_ptr<cgroups::CgroupFs> FakeCgroupfs::NewFs() {
  return std::make_unique<FakeCgroupFsOps>(this);
}

absl::StatusOr<std::string> FakeCgroupfs::Contents(const std::string& path) const {
  return ReadPlainFile(path);
}

absl::Status FakeCgroupfs::SetContents(const std::string& path, const std::string& contents) {
  return ::hull::testing::WriteFile(path, contents);
}

absl::Status FakeCgroupfs::RemoveFile(const std::string& path) {
  if (unlink(path.c_str()) != 0) return ErrnoStatus("unlink ", path);
  return absl::OkStatus();
}

bool FakeCgroupfs::IsDirectory(const std::string& path) const {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> FakeCgroupfs::WritesTo(const std::string& path) const {
  std::vector<std::string> values;
  for (const auto& [written_path, value] : writes_) {
    if (written_path == path) values.push_back(value);
  }
  return values;
}

void FakeCgroupfs::FailWrites(const std::string& path, absl::Status status, int times) {
  write_failures_[path] = {std::move(status), times};
}

void FakeCgroupfs::FailRemovals(const std::string& path, absl::Status status, int times) {
  removal_failures_[path] = {std::move(status), times};
}

void FakeCgroupfs::BeforeMakeDirectory(const std::string& path, std::function<void()> action) {
  before_mkdir_[path] = std::move(action);
}

void FakeCgroupfs::QueueReads(const std::string& path, std::vector<std::string> contents) {
  std::vector<std::string>& queue = queued_reads_[path];
  queue.insert(queue.end(), contents.begin(), contents.end());
}

void FakeCgroupfs::ClearFailures() {
  write_failures_.clear();
  removal_failures_.clear();
  before_mkdir_.clear();
  queued_reads_.clear();
}

absl::StatusOr<std::string> FakeCgroupfs::Read(const std::string& path) {
  auto queued = queued_reads_.find(path);
  if (queued != queued_reads_.end() && !queued->second.empty()) {
    std::string contents = queued->second.front();
    queued->second.erase(queued->second.begin());
    return contents;
  }
  return ReadPlainFile(path);
}

absl::Status FakeCgroupfs::Write(const std::string& path, const std::string& value) {
  if (auto failure = write_failures_.find(path);
      failure != write_failures_.end() && failure->second.second > 0) {
    --failure->second.second;
    return failure->second.first;
  }
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    return ErrnoStatus("open ", path);
  }
  const absl::string_view name = absl::string_view(path).substr(path.rfind('/') + 1);
  if (name == "cgroup.subtree_control") {
    RETURN_IF_ERROR(WriteSubtreeControl(path, value));
  } else if (name == "cgroup.procs" || name == "tasks") {
    ASSIGN_OR_RETURN(std::string procs, ReadPlainFile(path));
    RETURN_IF_ERROR(::hull::testing::WriteFile(path, absl::StrCat(procs, value, "\n")));
  } else {
    RETURN_IF_ERROR(::hull::testing::WriteFile(path, value));
  }
  writes_.emplace_back(path, value);
  return absl::OkStatus();
}

absl::Status FakeCgroupfs::WriteSubtreeControl(const std::string& path, const std::string& value) {
  const std::string directory = Parent(path);
  ASSIGN_OR_RETURN(std::string available, ReadPlainFile(directory + "/cgroup.controllers"));
  ASSIGN_OR_RETURN(std::string current, ReadPlainFile(path));
  std::vector<std::string> enabled = absl::StrSplit(current, absl::ByAnyChar(" \n"), absl::SkipEmpty());
  const std::vector<std::string> offered =
      absl::StrSplit(available, absl::ByAnyChar(" \n"), absl::SkipEmpty());
  for (absl::string_view token : absl::StrSplit(value, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    const std::string controller(token.substr(1));
    if ((token[0] != '+' && token[0] != '-') ||
        std::find(offered.begin(), offered.end(), controller) == offered.end()) {
      return absl::ErrnoToStatus(ENOENT, absl::StrCat("write \"", value, "\" to ", path));
    }
    auto at = std::find(enabled.begin(), enabled.end(), controller);
    if (token[0] == '+' && at == enabled.end()) enabled.push_back(controller);
    if (token[0] == '-' && at != enabled.end()) enabled.erase(at);
    // The children gain or lose the controller's files.
    for (const std::string& child : Entries(directory, /*directories=*/true)) {
      const std::string child_path = absl::StrCat(directory, "/", child);
      for (const auto& [file, contents] : V2ControllerFiles(controller)) {
        const std::string file_path = absl::StrCat(child_path, "/", file);
        if (token[0] == '+') {
          RETURN_IF_ERROR(::hull::testing::WriteFile(file_path, contents));
        } else {
          unlink(file_path.c_str());
        }
      }
    }
  }
  // Kept in the order the root offers them, as the kernel does.
  std::vector<std::string> ordered;
  for (const std::string& controller : offered) {
    if (std::find(enabled.begin(), enabled.end(), controller) != enabled.end()) {
      ordered.push_back(controller);
    }
  }
  for (const std::string& child : Entries(directory, /*directories=*/true)) {
    RETURN_IF_ERROR(::hull::testing::WriteFile(absl::StrCat(directory, "/", child, "/cgroup.controllers"),
                                   absl::StrCat(absl::StrJoin(ordered, " "), "\n")));
  }
  return ::hull::testing::WriteFile(path, absl::StrCat(absl::StrJoin(ordered, " "), "\n"));
}

absl::Status FakeCgroupfs::MakeDirectory(const std::string& path) {
  if (auto hook = before_mkdir_.find(path); hook != before_mkdir_.end()) {
    std::function<void()> action = std::move(hook->second);
    before_mkdir_.erase(hook);
    action();
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) return absl::ErrnoToStatus(EEXIST, absl::StrCat("mkdir ", path));
  if (!IsDirectory(Parent(path))) return absl::ErrnoToStatus(ENOENT, absl::StrCat("mkdir ", path));
  return MakeCgroup(path, /*is_root=*/false);
}

absl::Status FakeCgroupfs::RemoveDirectory(const std::string& path) {
  if (auto failure = removal_failures_.find(path);
      failure != removal_failures_.end() && failure->second.second > 0) {
    --failure->second.second;
    return failure->second.first;
  }
  if (!IsDirectory(path)) return absl::ErrnoToStatus(ENOENT, absl::StrCat("rmdir ", path));
  ASSIGN_OR_RETURN(std::string procs, ReadPlainFile(path + "/cgroup.procs"));
  if (!Entries(path, /*directories=*/true).empty() ||
      !absl::StripAsciiWhitespace(procs).empty()) {
    return absl::ErrnoToStatus(EBUSY, absl::StrCat("rmdir ", path));
  }
  for (const std::string& file : Entries(path, /*directories=*/false)) {
    unlink(absl::StrCat(path, "/", file).c_str());
  }
  if (rmdir(path.c_str()) != 0) return ErrnoStatus("rmdir ", path);
  return absl::OkStatus();
}

}  // namespace hull::testing
