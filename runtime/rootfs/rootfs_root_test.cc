// The rootfs steps against the real kernel, as root: each scenario runs as
// pid 1 of a new pid namespace inside a new mount namespace (so procfs can
// be mounted and nothing reaches the host), checks what it sees from inside
// and reports its failures through the child's output and exit status.
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_util.h"
#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/procfs_files.h"
#include "runtime/rootfs/bind_tree.h"
#include "runtime/rootfs/linux_mounter.h"
#include "base/mountinfo.h"
#include "runtime/rootfs/path_restrictions.h"
#include "runtime/rootfs/rootfs.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "testing/child_process.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::MakeTempDir;
using ::hull::testing::ReadFile;
using ::hull::testing::WriteFile;

using ::hull::testing::IsOk;
using ::hull::testing::RootfsFixture;
using ::testing::HasSubstr;

// What a scenario found, written by the child for the test to read.
class Checks {
 public:
  void Expect(bool condition, absl::string_view what) {
    ++count_;
    if (!condition) failures_.push_back(std::string(what));
  }
  void ExpectOk(const absl::Status& status, absl::string_view what) {
    Expect(status.ok(), absl::StrCat(what, ": ", status.ToString()));
  }
  // `status` failed with `code` and a message holding `message`.
  void ExpectError(const absl::Status& status, absl::StatusCode code, absl::string_view message,
                   absl::string_view what) {
    Expect(status.code() == code && absl::StrContains(status.message(), message),
           absl::StrCat(what, ": expected ", absl::StatusCodeToString(code), " with \"", message,
                        "\", got ", status.ToString()));
  }
  // `call` failed with errno `error`.
  void ExpectErrno(int result, int error, absl::string_view what) {
    const int actual = errno;
    Expect(result < 0 && actual == error,
           absl::StrCat(what, ": expected ", strerror(error), ", got ",
                        result < 0 ? strerror(actual) : "success"));
  }
  // The report: "N checks passed" or the failures, one a line.
  std::string Report() const {
    if (failures_.empty()) return absl::StrCat(count_, " checks passed\n");
    return absl::StrCat(absl::StrJoin(failures_, "\n"), "\n");
  }
  bool ok() const { return failures_.empty() && count_ > 0; }

 private:
  int count_ = 0;
  std::vector<std::string> failures_;
};

// Runs `scenario` as pid 1 of a new pid namespace, in a new mount namespace
// whose "/" is rprivate, and expects it to pass.
void RunScenario(const std::function<void(Checks&)>& scenario) {
  absl::StatusOr<::hull::testing::ChildOutcome> outcome = ::hull::testing::RunInChild(
      {.unshare_flags = CLONE_NEWNS | CLONE_NEWPID}, [&]() -> absl::Status {
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
          return ErrnoStatus("make / rprivate");
        }
        std::fflush(nullptr);
        const pid_t pid = fork();
        if (pid < 0) return ErrnoStatus("fork");
        if (pid == 0) {
          Checks checks;
          scenario(checks);
          const std::string report = checks.Report();
          (void)!write(STDERR_FILENO, report.data(), report.size());
          _exit(checks.ok() ? 0 : 1);
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0) {
          if (errno != EINTR) return ErrnoStatus("waitpid");
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          return absl::InternalError(
              absl::StrCat("the scenario failed (wait status ", status, ")"));
        }
        return absl::OkStatus();
      });
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->exit_code, 0) << outcome->output;
  EXPECT_THAT(outcome->output, HasSubstr("checks passed"));
}

std::vector<MountInfo> OwnMounts(Checks& checks) {
  absl::StatusOr<std::string> text = LinuxProcFiles("/proc").Read("self/mountinfo");
  checks.ExpectOk(text.status(), "read /proc/self/mountinfo");
  if (!text.ok()) return {};
  absl::StatusOr<std::vector<MountInfo>> mounts = ParseMountInfo(*text);
  checks.ExpectOk(mounts.status(), "parse /proc/self/mountinfo");
  return mounts.ok() ? *mounts : std::vector<MountInfo>();
}

// The top mount at `mount_point`, if any.
const MountInfo* Find(const std::vector<MountInfo>& mounts, absl::string_view mount_point) {
  const MountInfo* found = nullptr;
  for (const MountInfo& mount : mounts) {
    if (mount.mount_point == mount_point) found = &mount;
  }
  return found;
}

void ExpectMount(Checks& checks, const std::vector<MountInfo>& mounts,
                 absl::string_view mount_point, absl::string_view fstype,
                 std::vector<std::string> options, absl::string_view propagation = "private") {
  const MountInfo* mount = Find(mounts, mount_point);
  checks.Expect(mount != nullptr, absl::StrCat(mount_point, " is a mount point"));
  if (mount == nullptr) return;
  // An empty `fstype` is whatever the host's temp dir is on.
  checks.Expect(fstype.empty() || mount->fstype == fstype,
                absl::StrCat(mount_point, " is ", fstype, ", not ", mount->fstype));
  for (const std::string& option : options) {
    checks.Expect(mount->HasOption(option), absl::StrCat(mount_point, " has ", option, " (has ",
                                                         absl::StrJoin(mount->options, ","), ")"));
  }
  checks.Expect(mount->Propagation() == propagation,
                absl::StrCat(mount_point, " is ", propagation, ", not ", mount->Propagation()));
}

// Nothing is mounted at or below `root` (what a failed MountRootfs leaves).
void ExpectNoMountBelow(Checks& checks, const std::string& root) {
  for (const MountInfo& mount : OwnMounts(checks)) {
    checks.Expect(!absl::StartsWith(mount.mount_point, root),
                  absl::StrCat("left behind: ", mount.mount_point));
  }
}

void ExpectDevice(Checks& checks, const char* path, mode_t type, unsigned major, unsigned minor,
                  mode_t permissions) {
  struct stat st;
  checks.Expect(lstat(path, &st) == 0, absl::StrCat("stat ", path));
  checks.Expect((st.st_mode & S_IFMT) == type && ::major(st.st_rdev) == major &&
                    ::minor(st.st_rdev) == minor && (st.st_mode & 07777) == permissions,
                absl::StrCat(path, ": mode 0", absl::Hex(st.st_mode), " device ",
                             ::major(st.st_rdev), ":", ::minor(st.st_rdev)));
}

void ExpectSymlink(Checks& checks, const char* path, const std::string& target) {
  char buffer[256] = {};
  const ssize_t n = readlink(path, buffer, sizeof(buffer) - 1);
  checks.Expect(
      n >= 0 && target == buffer,
      absl::StrCat(path, " -> \"", n >= 0 ? buffer : strerror(errno), "\", not ", target));
}

config::Mount& AddMount(config::Spec& spec, const std::string& destination, const std::string& type,
                        const std::string& source, std::vector<std::string> options) {
  config::Mount& mount = *spec.add_mounts();
  mount.set_destination(destination);
  mount.set_type(type);
  mount.set_source(source);
  for (const std::string& option : options) mount.add_options(option);
  return mount;
}

class RootfsRootTest : public ::testing::TestWithParam<LinuxMounter::Api> {
 protected:
  void SetUp() override {
    absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
    ASSERT_THAT(rootfs, IsOk());
    rootfs_.emplace(*std::move(rootfs));
    absl::StatusOr<std::string> host_dir = MakeTempDir("host");
    ASSERT_THAT(host_dir, IsOk());
    host_dir_ = *host_dir;
    ASSERT_EQ(mkdir((host_dir_ + "/sub").c_str(), 0755), 0);
    ASSERT_THAT(WriteFile(host_dir_ + "/hello", "hello from the host\n"), IsOk());
    host_file_ = host_dir_ + "/file";
    ASSERT_THAT(WriteFile(host_file_, "a host file\n"), IsOk());
  }

  const std::string& rootfs() const { return rootfs_->path(); }

  std::optional<RootfsFixture> rootfs_;
  std::string host_dir_;
  std::string host_file_;
};

TEST_P(RootfsRootTest, TheContainerSeesItsMountsDevicesAndRestrictions) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  AddMount(spec, "/mnt/ro", "none", host_dir_, {"bind", "ro", "nosuid", "nodev", "noexec"});
  AddMount(spec, "/mnt/rbind-ro", "none", host_dir_, {"rbind", "ro"});
  AddMount(spec, "/mnt/rro", "none", host_dir_, {"rbind", "rro", "rnosuid"});
  AddMount(spec, "/etc/hostfile", "none", host_file_, {"bind", "ro"});
  AddMount(spec, "/mnt/tmp", "tmpfs", "tmpfs",
           {"nosuid", "nodev", "noexec", "noatime", "mode=1777", "size=1m"});
  AddMount(spec, "/mnt/shared", "tmpfs", "tmpfs", {"shared"});
  AddMount(spec, "/mnt/unbindable", "tmpfs", "tmpfs", {"runbindable"});
  const bool host_has_kcore = access("/proc/kcore", F_OK) == 0;
  const bool host_has_sysrq_trigger = access("/proc/sysrq-trigger", F_OK) == 0;
  ASSERT_EQ(access("/proc/timer_list", F_OK), 0) << "the masked-file checks need it";
  ASSERT_EQ(access("/proc/acpi", F_OK), 0) << "the masked-directory checks need it";
  const LinuxMounter::Api api = GetParam();

  RunScenario([&](Checks& checks) {
    // A submount in the bind source: rbind carries it, bind does not.
    checks.Expect(mount("tmpfs", (host_dir_ + "/sub").c_str(), "tmpfs", 0, nullptr) == 0,
                  "mount a tmpfs on the bind source's sub");
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, rootfs(), /*no_pivot=*/false, mounter), "PivotRoot");
    checks.ExpectOk(FinishRootfs(spec, mounter), "FinishRootfs");
    checks.ExpectOk(ApplyPathRestrictions(spec, mounter), "ApplyPathRestrictions");
    if (!checks.ok()) return;

    // The image, not the host.
    checks.Expect(absl::StartsWith(ReadFile("/etc/passwd").value_or(""), "root:x:0:0:root:/root:/bin/sh"),
                  "/etc/passwd is the image's");
    checks.Expect(ReadFile("/etc/hostfile").value_or("") == "a host file\n",
                  "the file bind shows the host file");
    checks.Expect(ReadFile("/mnt/ro/hello").value_or("") == "hello from the host\n",
                  "the bind shows the host dir");

    const std::vector<MountInfo> mounts = OwnMounts(checks);
    ExpectMount(checks, mounts, "/", "", {"ro"});
    ExpectMount(checks, mounts, "/proc", "proc", {"rw"});
    ExpectMount(checks, mounts, "/dev", "tmpfs", {"rw", "nosuid"});
    const MountInfo* dev = Find(mounts, "/dev");
    checks.Expect(dev != nullptr && !dev->HasOption("relatime") && !dev->HasOption("noatime"),
                  "/dev is strictatime");
    ExpectMount(checks, mounts, "/dev/pts", "devpts", {"nosuid", "noexec"});
    const MountInfo* pts = Find(mounts, "/dev/pts");
    checks.Expect(pts != nullptr && absl::StrContains(absl::StrJoin(pts->super_options, ","),
                                                      "gid=5,mode=620,ptmxmode=666"),
                  "devpts options");
    ExpectMount(checks, mounts, "/dev/shm", "tmpfs", {"nosuid", "nodev", "noexec"});
    ExpectMount(checks, mounts, "/dev/mqueue", "mqueue", {"nosuid", "nodev", "noexec"});
    ExpectMount(checks, mounts, "/sys", "sysfs", {"ro", "nosuid", "nodev", "noexec"});
    ExpectMount(checks, mounts, "/sys/fs/cgroup", "tmpfs", {"ro", "nosuid", "nodev", "noexec"});
    ExpectMount(checks, mounts, "/sys/fs/cgroup/memory", "cgroup", {"ro", "nosuid", "noexec"});
    ExpectMount(checks, mounts, "/sys/fs/cgroup/unified", "cgroup2", {"ro", "nosuid", "noexec"});
    // The binds show the process's own cgroup, not the hierarchy's root.
    checks.Expect(access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0,
                  "the memory cgroup's files are there");
    checks.ExpectErrno(mkdir("/sys/fs/cgroup/x", 0755), EROFS, "mkdir in the cgroup tmpfs");

    ExpectMount(checks, mounts, "/mnt/ro", "", {"ro", "nosuid", "nodev", "noexec"});
    checks.Expect(Find(mounts, "/mnt/ro/sub") == nullptr, "a plain bind leaves submounts out");
    checks.ExpectErrno(open("/mnt/ro/new", O_CREAT | O_WRONLY | O_CLOEXEC, 0644), EROFS,
                       "create in a read-only bind");
    ExpectMount(checks, mounts, "/mnt/rbind-ro", "", {"ro"});
    ExpectMount(checks, mounts, "/mnt/rbind-ro/sub", "tmpfs", {"rw"});
    ExpectMount(checks, mounts, "/mnt/rro", "", {"ro", "nosuid"});
    ExpectMount(checks, mounts, "/mnt/rro/sub", "tmpfs", {"ro", "nosuid"});
    checks.ExpectErrno(mkdir("/mnt/rro/sub/x", 0755), EROFS, "mkdir in a recursively ro submount");
    ExpectMount(checks, mounts, "/etc/hostfile", "", {"ro"});
    ExpectMount(checks, mounts, "/mnt/tmp", "tmpfs",
                {"rw", "nosuid", "nodev", "noexec", "noatime"});
    struct stat tmp;
    checks.Expect(stat("/mnt/tmp", &tmp) == 0 && (tmp.st_mode & 07777) == 01777, "tmpfs mode=1777");
    const MountInfo* shared = Find(mounts, "/mnt/shared");
    checks.Expect(shared != nullptr && shared->Propagation() == "shared", "/mnt/shared is shared");
    const MountInfo* unbindable = Find(mounts, "/mnt/unbindable");
    checks.Expect(unbindable != nullptr && unbindable->Propagation() == "unbindable",
                  "/mnt/unbindable is unbindable");

    // /dev.
    ExpectDevice(checks, "/dev/null", S_IFCHR, 1, 3, 0666);
    ExpectDevice(checks, "/dev/zero", S_IFCHR, 1, 5, 0666);
    ExpectDevice(checks, "/dev/full", S_IFCHR, 1, 7, 0666);
    ExpectDevice(checks, "/dev/random", S_IFCHR, 1, 8, 0666);
    ExpectDevice(checks, "/dev/urandom", S_IFCHR, 1, 9, 0666);
    ExpectDevice(checks, "/dev/tty", S_IFCHR, 5, 0, 0666);
    ExpectSymlink(checks, "/dev/ptmx", "pts/ptmx");
    ExpectSymlink(checks, "/dev/fd", "/proc/self/fd");
    ExpectSymlink(checks, "/dev/stdin", "/proc/self/fd/0");
    ExpectSymlink(checks, "/dev/stdout", "/proc/self/fd/1");
    ExpectSymlink(checks, "/dev/stderr", "/proc/self/fd/2");
    if (host_has_kcore) ExpectSymlink(checks, "/dev/core", "/proc/kcore");
    checks.Expect(access("/dev/pts/ptmx", F_OK) == 0, "/dev/pts/ptmx exists");

    // Read-only and masked paths; open(O_WRONLY) fails before any write.
    checks.ExpectErrno(open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC), EROFS,
                       "open /proc/sys/kernel/hostname for writing");
    if (host_has_sysrq_trigger) {
      checks.ExpectErrno(open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC), EROFS,
                         "open /proc/sysrq-trigger for writing");
    }
    // A masked file is /dev/null.
    ExpectDevice(checks, "/proc/timer_list", S_IFCHR, 1, 3, 0666);
    checks.Expect(ReadFile("/proc/timer_list").value_or("").empty(), "/proc/timer_list reads empty");
    ExpectDevice(checks, "/proc/keys", S_IFCHR, 1, 3, 0666);
    ExpectMount(checks, mounts, "/proc/acpi", "tmpfs", {"ro"});

    // root.readonly.
    checks.ExpectErrno(mkdir("/newdir", 0755), EROFS, "mkdir in the read-only root");

    // Nothing of the host is left: every mount is one the config made.
    for (const MountInfo& mount : mounts) {
      const bool expected =
          mount.mount_point == "/" || absl::StartsWith(mount.mount_point, "/proc") ||
          absl::StartsWith(mount.mount_point, "/dev") ||
          absl::StartsWith(mount.mount_point, "/sys") ||
          absl::StartsWith(mount.mount_point, "/mnt/") || mount.mount_point == "/etc/hostfile";
      checks.Expect(expected, absl::StrCat("unexpected mount ", mount.mount_point));
    }
    checks.Expect(access(host_dir_.c_str(), F_OK) != 0, "the host's temp dir is out of sight");
  });
}

// "idmap" maps the top mount of an rbind only, "ridmap" its submounts too;
// the legacy API cannot id-map at all.
TEST_P(RootfsRootTest, IdmapMapsTheTopMountAndRidmapTheSubmountsToo) {
  const std::string top_file = host_dir_ + "/hello";
  ASSERT_EQ(chown(top_file.c_str(), 1234, 1234), 0);
  // Host root owns the directory, which the mapping leaves unmapped: root
  // has no DAC override there, so the directory must be open to all.
  ASSERT_EQ(chmod(host_dir_.c_str(), 0755), 0);
  config::Spec spec;
  for (const char* option : {"idmap", "ridmap"}) {
    config::Mount& mount =
        AddMount(spec, absl::StrCat("/mnt/", option), "none", host_dir_, {"rbind", option});
    for (config::IdMapping* mapping : {mount.add_uid_mappings(), mount.add_gid_mappings()}) {
      mapping->set_container_id(1234);
      mapping->set_host_id(0);
      mapping->set_size(1);
    }
  }
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    const std::string sub_file = host_dir_ + "/sub/file";
    checks.Expect(mount("tmpfs", (host_dir_ + "/sub").c_str(), "tmpfs", 0, nullptr) == 0,
                  "mount a tmpfs on the bind source's sub");
    checks.ExpectOk(WriteFile(sub_file, "x"), "write a file in the submount");
    checks.Expect(chown(sub_file.c_str(), 1234, 1234) == 0, "chown it to 1234");
    LinuxMounter mounter(api);
    for (const PlannedMount& planned : plan->mounts) {
      const absl::Status status = mounter.Mount(rootfs(), planned);
      if (api == LinuxMounter::Api::kLegacy) {
        checks.Expect(absl::IsFailedPrecondition(status) &&
                          absl::StrContains(status.message(), "needs open_tree and mount_setattr"),
                      absl::StrCat("the legacy API refuses ", planned.destination, ": ",
                                   status.ToString()));
        continue;
      }
      checks.ExpectOk(status, planned.destination);
    }
    if (api == LinuxMounter::Api::kLegacy) return;
    auto owner = [&](const std::string& path) {
      struct stat st;
      if (stat((rootfs() + path).c_str(), &st) != 0) return std::string("stat failed");
      return absl::StrCat(st.st_uid, ":", st.st_gid);
    };
    checks.Expect(owner("/mnt/idmap/hello") == "0:0", "idmap maps the top mount");
    checks.Expect(owner("/mnt/idmap/sub/file") == "1234:1234",
                  absl::StrCat("idmap leaves the submount alone: ", owner("/mnt/idmap/sub/file")));
    checks.Expect(owner("/mnt/ridmap/hello") == "0:0", "ridmap maps the top mount");
    checks.Expect(owner("/mnt/ridmap/sub/file") == "0:0",
                  absl::StrCat("ridmap maps the submount: ", owner("/mnt/ridmap/sub/file")));
  });
}

// The init's side of a container with a user namespace of its own: the
// trees the launcher id-mapped and gave their attributes (made here as the
// launcher would) are attached in mount order, by either API; a mount whose
// tree did not come is an error.
TEST_P(RootfsRootTest, LauncherTreesAreAttachedInMountOrder) {
  ASSERT_EQ(chown((host_dir_ + "/hello").c_str(), 1234, 1234), 0);
  ASSERT_EQ(chmod(host_dir_.c_str(), 0755), 0);
  config::Spec spec;
  for (const char* type : {"mount", "user"}) spec.mutable_linux()->add_namespaces()->set_type(type);
  const std::pair<const char*, uint32_t> seen_as[] = {{"/mnt/a", 0}, {"/mnt/b", 5}};
  for (const auto& [destination, host_id] : seen_as) {
    config::Mount& mount = AddMount(spec, destination, "none", host_dir_, {"bind", "ro"});
    for (config::IdMapping* mapping : {mount.add_uid_mappings(), mount.add_gid_mappings()}) {
      mapping->set_container_id(1234);
      mapping->set_host_id(host_id);
      mapping->set_size(1);
    }
  }
  AddMount(spec, "/mnt/plain", "none", host_dir_, {"bind"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  absl::StatusOr<std::vector<PlannedMount>> trees = PlanLauncherTrees(spec);
  ASSERT_THAT(trees, IsOk());
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    absl::StatusOr<std::vector<UniqueFd>> prepared =
        PrepareLauncherTrees(*trees, /*container_user_namespace=*/-1);
    checks.ExpectOk(prepared.status(), "the launcher's trees");
    if (!prepared.ok()) return;
    checks.Expect(prepared->size() == 2, "one tree per id-mapped bind");
    LinuxMounter mounter(api);
    mounter.AdoptLauncherTrees(*std::move(prepared));
    for (const PlannedMount& planned : plan->mounts) {
      checks.ExpectOk(mounter.Mount(rootfs(), planned), planned.destination);
    }
    auto owner = [&](const std::string& path) {
      struct stat st;
      if (stat((rootfs() + path).c_str(), &st) != 0) return std::string("stat failed");
      return absl::StrCat(st.st_uid, ":", st.st_gid);
    };
    checks.Expect(owner("/mnt/a/hello") == "0:0", "/mnt/a has the first tree");
    checks.Expect(owner("/mnt/b/hello") == "5:5", "/mnt/b has the second tree");
    checks.Expect(owner("/mnt/plain/hello") == "1234:1234", "/mnt/plain is the init's own bind");
    const std::string created = rootfs() + "/mnt/a/new";
    checks.ExpectErrno(open(created.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644), EROFS,
                       "the launcher made /mnt/a read-only");
    checks.ExpectError(mounter.Mount(rootfs(), plan->mounts[0]), absl::StatusCode::kInternal,
                       "the launcher passed no tree for it", "a mount without its tree");
  });
}

TEST_P(RootfsRootTest, NoPivotMovesTheRootfs) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  spec.mutable_root()->set_readonly(false);
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, rootfs(), /*no_pivot=*/true, mounter), "PivotRoot");
    checks.Expect(absl::StartsWith(ReadFile("/etc/passwd").value_or(""), "root:x:0:0:root:/root:/bin/sh"),
                  "/etc/passwd is the image's");
    checks.Expect(access("/bin/busybox", X_OK) == 0, "/bin/busybox is there");
    ExpectDevice(checks, "/dev/null", S_IFCHR, 1, 3, 0666);
  });
}

TEST_P(RootfsRootTest, DevicesAreBoundFromTheHostForAUserNamespace) {
  config::Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("user");
  AddMount(spec, "/dev", "tmpfs", "tmpfs", {"nosuid", "mode=755"});
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    const std::string null = rootfs() + "/dev/null";
    ExpectDevice(checks, null.c_str(), S_IFCHR, 1, 3, 0666);
    const std::vector<MountInfo> mounts = OwnMounts(checks);
    checks.Expect(Find(mounts, null) != nullptr, "/dev/null is a bind mount");
  });
}

// What a container's terminal gets: its pty slave bound over /dev/console by
// fd (any open file will do here).
TEST_P(RootfsRootTest, BindOpenFileBindsTheFileItself) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, rootfs(), /*no_pivot=*/false, mounter), "PivotRoot");
    const int file = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    checks.Expect(file >= 0, "open /etc/passwd");
    checks.Expect(access("/dev/console", F_OK) != 0, "no /dev/console yet");
    checks.ExpectOk(mounter.BindOpenFile(file, "/dev/console"), "BindOpenFile");
    struct stat bound, original;
    checks.Expect(stat("/dev/console", &bound) == 0 && fstat(file, &original) == 0 &&
                      bound.st_dev == original.st_dev && bound.st_ino == original.st_ino,
                  "/dev/console is the file");
    checks.Expect(Find(OwnMounts(checks), "/dev/console") != nullptr, "/dev/console is a mount");
    close(file);
  });
}

// A mount whose destination leads to the rootfs itself (an image's symlink to
// "/") covers it: the mounts after it go on what covers it, as a lookup of
// the rootfs's path anew finds it (the mounter keeps the rootfs open between
// operations and must let go of it then).
TEST_P(RootfsRootTest, MountsAfterOneCoveringTheRootfsGoOnTop) {
  ASSERT_EQ(symlink("/", (rootfs() + "/to_root").c_str()), 0);
  config::Spec spec;
  AddMount(spec, "/to_root", "tmpfs", "tmpfs", {});
  AddMount(spec, "/after", "tmpfs", "tmpfs", {});
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.Expect(access((rootfs() + "/to_root").c_str(), F_OK) != 0,
                  "a tmpfs covers the rootfs (its /to_root is hidden)");
    checks.Expect(access((rootfs() + "/after").c_str(), F_OK) == 0,
                  "/after was made on the tmpfs covering the rootfs, not under it");
    checks.Expect(Find(OwnMounts(checks), rootfs() + "/after") != nullptr, "/after is a mount");
  });
}

INSTANTIATE_TEST_SUITE_P(Apis, RootfsRootTest,
                         ::testing::Values(LinuxMounter::Api::kMountFds,
                                           LinuxMounter::Api::kLegacy),
                         [](const auto& info) {
                           return info.param == LinuxMounter::Api::kMountFds ? "MountFds"
                                                                             : "Legacy";
                         });

class RootfsSecurityTest : public RootfsRootTest {};

// A destination planted as a symlink to the host's /etc/passwd (absolute,
// and through a relative "../../../etc") is mounted inside the rootfs.
TEST_P(RootfsSecurityTest, SymlinkedDestinationsStayInsideTheRootfs) {
  ASSERT_EQ(symlink("/etc/passwd", (rootfs() + "/evil_absolute").c_str()), 0);
  ASSERT_EQ(symlink("../../../etc", (rootfs() + "/evil_relative").c_str()), 0);
  config::Spec spec;
  AddMount(spec, "/evil_absolute", "none", host_file_, {"bind"});
  AddMount(spec, "/evil_relative/passwd", "none", host_file_, {"bind"});
  AddMount(spec, "/evil_relative/newdir", "tmpfs", "tmpfs", {});
  struct stat before;
  ASSERT_EQ(stat("/etc/passwd", &before), 0);
  const std::string host_passwd = ReadFile("/etc/passwd").value_or("");
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    struct stat after;
    checks.Expect(stat("/etc/passwd", &after) == 0 && after.st_dev == before.st_dev &&
                      after.st_ino == before.st_ino,
                  "the host's /etc/passwd is the same file");
    checks.Expect(ReadFile("/etc/passwd").value_or("") == host_passwd, "the host's /etc/passwd is unchanged");
    checks.Expect(access("/etc/newdir", F_OK) != 0, "nothing was created in the host's /etc");
    const std::vector<MountInfo> mounts = OwnMounts(checks);
    checks.Expect(Find(mounts, "/etc/passwd") == nullptr, "no mount on the host's /etc/passwd");
    checks.Expect(Find(mounts, rootfs() + "/etc/passwd") != nullptr,
                  "the mount is on the rootfs's /etc/passwd");
    checks.Expect(Find(mounts, rootfs() + "/etc/newdir") != nullptr,
                  "the tmpfs is on the rootfs's /etc/newdir");
    checks.Expect(ReadFile(rootfs() + "/etc/passwd").value_or("") == "a host file\n",
                  "the rootfs's /etc/passwd shows the bind");
  });
}

TEST_P(RootfsSecurityTest, AMissingSourceIsNamedAndLeavesNoMount) {
  config::Spec spec;
  AddMount(spec, "/proc", "proc", "proc", {});
  AddMount(spec, "/mnt/missing", "none", "/nonexistent/source", {"bind"});
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectError(MountRootfs(spec, rootfs(), mounter), absl::StatusCode::kNotFound,
                       "mount source \"/nonexistent/source\": No such file or directory",
                       "MountRootfs");
    ExpectNoMountBelow(checks, rootfs());
    checks.Expect(access((rootfs() + "/mnt/missing").c_str(), F_OK) != 0,
                  "the destination was not created");
  });
}

// CVE-2019-16884: a /proc that is not procfs must not receive the masks.
TEST_P(RootfsSecurityTest, RestrictionsRefuseAFakeProc) {
  struct Case {
    const char* name;
    bool symlink;  // else a tmpfs mounted on /proc
    bool masked;   // else read-only
  };
  for (const Case& c :
       {Case{"symlink, masked", true, true}, Case{"symlink, read-only", true, false},
        Case{"tmpfs, masked", false, true}, Case{"tmpfs, read-only", false, false}}) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<RootfsFixture> fixture = RootfsFixture::Create();
    ASSERT_THAT(fixture, IsOk());
    const std::string root = fixture->path();
    if (c.symlink) {
      ASSERT_EQ(rmdir((root + "/proc").c_str()), 0);
      ASSERT_EQ(mkdir((root + "/fakeproc").c_str(), 0755), 0);
      ASSERT_EQ(symlink("/fakeproc", (root + "/proc").c_str()), 0);
    }
    config::Spec spec;
    AddMount(spec, "/dev", "tmpfs", "tmpfs", {});
    if (c.masked) {
      spec.mutable_linux()->add_masked_paths("/proc/kcore");
    } else {
      spec.mutable_linux()->add_readonly_paths("/proc/sys");
    }
    const LinuxMounter::Api api = GetParam();
    RunScenario([&](Checks& checks) {
      const std::string proc = root + (c.symlink ? "/fakeproc" : "/proc");
      if (!c.symlink) {
        checks.Expect(mount("tmpfs", proc.c_str(), "tmpfs", 0, nullptr) == 0, "tmpfs on /proc");
      }
      checks.ExpectOk(WriteFile(proc + "/kcore", ""), "write a fake kcore");
      checks.Expect(mkdir((proc + "/sys").c_str(), 0755) == 0, "fake /proc/sys");
      LinuxMounter mounter(api);
      checks.ExpectOk(MountRootfs(spec, root, mounter), "MountRootfs");
      checks.ExpectOk(PivotRoot(spec, root, false, mounter), "PivotRoot");
      checks.ExpectError(ApplyPathRestrictions(spec, mounter),
                         absl::StatusCode::kFailedPrecondition, "is not on procfs",
                         "ApplyPathRestrictions");
    });
  }
}

// CVE-2025-31133: a /dev/null that is a symlink into /proc must not be
// used to mask (the mask would expose its target).
TEST_P(RootfsSecurityTest, MaskingRefusesAFakeDevNull) {
  ASSERT_EQ(symlink("/proc/sys/kernel/core_pattern", (rootfs() + "/dev/null").c_str()), 0);
  config::Spec spec;
  AddMount(spec, "/proc", "proc", "proc", {});
  spec.mutable_linux()->add_masked_paths("/proc/timer_list");
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, rootfs(), false, mounter), "PivotRoot");
    checks.ExpectError(ApplyPathRestrictions(spec, mounter), absl::StatusCode::kFailedPrecondition,
                       "is not the null device", "ApplyPathRestrictions");
  });
}

// A /dev/console planted as a symlink (to a host path, say) is refused, not
// followed.
TEST_P(RootfsSecurityTest, BindOpenFileRefusesASymlink) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectOk(MountRootfs(spec, rootfs(), mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, rootfs(), /*no_pivot=*/false, mounter), "PivotRoot");
    checks.Expect(symlink("/etc/group", "/dev/console") == 0, "plant /dev/console");
    const int file = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    checks.ExpectError(mounter.BindOpenFile(file, "/dev/console"),
                       absl::StatusCode::kFailedPrecondition,
                       "bind over \"/dev/console\": it is a symlink",
                       "BindOpenFile");
    const std::vector<MountInfo> mounts = OwnMounts(checks);
    checks.Expect(Find(mounts, "/etc/group") == nullptr && Find(mounts, "/dev/console") == nullptr,
                  "nothing was mounted");
    close(file);
  });
}

// A mount destination reached through a symlink into procfs is refused.
TEST_P(RootfsSecurityTest, DestinationsThroughProcAreRefused) {
  ASSERT_EQ(symlink("/proc/sys/kernel", (rootfs() + "/innocent").c_str()), 0);
  config::Spec spec;
  AddMount(spec, "/proc", "proc", "proc", {});
  AddMount(spec, "/innocent/core_pattern", "none", host_file_, {"bind"});
  const LinuxMounter::Api api = GetParam();
  RunScenario([&](Checks& checks) {
    LinuxMounter mounter(api);
    checks.ExpectError(MountRootfs(spec, rootfs(), mounter), absl::StatusCode::kFailedPrecondition,
                       "resolves into procfs", "MountRootfs");
  });
}

INSTANTIATE_TEST_SUITE_P(Apis, RootfsSecurityTest,
                         ::testing::Values(LinuxMounter::Api::kMountFds,
                                           LinuxMounter::Api::kLegacy),
                         [](const auto& info) {
                           return info.param == LinuxMounter::Api::kMountFds ? "MountFds"
                                                                             : "Legacy";
                         });

// rootfsPropagation "rshared": pivot_root needs the rootfs's parent made
// private, and the new "/" is shared afterwards. The host's "/" is private,
// so the rootfs sits on a shared tmpfs of the test's own.
TEST(RootfsPropagationTest, SharedRootfs) {
  absl::StatusOr<std::string> shared = MakeTempDir("shared");
  ASSERT_THAT(shared, IsOk());
  const std::string base = *shared;
  config::Spec spec;
  spec.mutable_linux()->set_rootfs_propagation("rshared");
  AddMount(spec, "/proc", "proc", "proc", {});
  RunScenario([&](Checks& checks) {
    checks.Expect(mount("tmpfs", base.c_str(), "tmpfs", 0, nullptr) == 0, "tmpfs base");
    checks.Expect(mount(nullptr, base.c_str(), nullptr, MS_SHARED, nullptr) == 0, "shared base");
    const std::string root = base + "/rootfs";
    checks.Expect(mkdir(root.c_str(), 0755) == 0 && mkdir((root + "/proc").c_str(), 0755) == 0,
                  "rootfs dirs");
    LinuxMounter mounter;
    checks.ExpectOk(MountRootfs(spec, root, mounter), "MountRootfs");
    checks.ExpectOk(PivotRoot(spec, root, false, mounter), "PivotRoot");
    const std::vector<MountInfo> mounts = OwnMounts(checks);
    const MountInfo* slash = Find(mounts, "/");
    checks.Expect(slash != nullptr && absl::StrContains(slash->Propagation(), "shared"),
                  "/ is shared");
  });
}

}  // namespace
}  // namespace hull::rootfs
