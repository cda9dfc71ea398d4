// runc's escapes, performed against Hull: each test is the attack, from a
// hostile container, and asserts the host is untouched.
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/console_socket_listener.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class EscapeTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    mounts_before_ = *std::move(mounts);
  }

  // No host mount appeared or went where the attacks aim: "/", /proc, /sys,
  // /dev, and this test's directory (bundles, volumes, host files). Other
  // mounts may come and go meanwhile: the host runs more than this test.
  void ExpectHostMountsUntouched() {
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    std::vector<std::string> changed;
    std::set_symmetric_difference(mounts->begin(), mounts->end(), mounts_before_.begin(),
                                  mounts_before_.end(), std::back_inserter(changed));
    const std::string test_dir = getenv("TEST_TMPDIR") == nullptr ? "/tmp" : getenv("TEST_TMPDIR");
    for (const std::string& mount : changed) {
      const std::string mount_point = mount.substr(0, mount.find(' '));
      bool aimed_at = mount_point == "/";
      for (const std::string& target : {std::string("/proc"), std::string("/sys"),
                                        std::string("/dev"), test_dir}) {
        aimed_at = aimed_at || mount_point == target || absl::StartsWith(mount_point, target + "/");
      }
      EXPECT_FALSE(aimed_at) << "a host mount changed: " << mount;
    }
  }

 private:
  std::set<std::string> mounts_before_;
};

// Removes the mounts of `spec` whose destination is `destination` or below
// it: the image's own directory is then what the container gets there.
void RemoveMountsAt(config::Spec& spec, const std::string& destination) {
  auto& mounts = *spec.mutable_mounts();
  for (int i = mounts.size() - 1; i >= 0; --i) {
    const std::string& at = mounts.Get(i).destination();
    if (at == destination || absl::StartsWith(at, destination + "/")) mounts.DeleteSubrange(i, 1);
  }
}

// Moves the last mount of `spec` to the front of its mounts.
void MoveLastMountFirst(config::Spec& spec) {
  auto& mounts = *spec.mutable_mounts();
  for (int i = mounts.size() - 1; i > 0; --i) mounts.SwapElements(i, i - 1);
}

// A regular host file holding `contents`, in a new directory of the test.
absl::StatusOr<std::string> HostFile(const std::string& name, const std::string& contents) {
  absl::StatusOr<std::string> dir = MakeTempDir("host");
  if (!dir.ok()) return dir.status();
  const std::string path = *dir + "/" + name;
  if (absl::Status written = WriteFile(path, contents); !written.ok()) return written;
  return path;
}

// Runs the suite's hull from a copy, which an attack may overwrite, for as
// long as it lives.
class HullFromACopy {
 public:
  static absl::StatusOr<HullFromACopy> Make() {
    absl::StatusOr<std::string> dir = MakeTempDir("hull-copy");
    if (!dir.ok()) return dir.status();
    absl::StatusOr<std::string> contents = ReadFile(HullBinary());
    if (!contents.ok()) return contents.status();
    const std::string copy = *dir + "/hull";
    if (absl::Status written = WriteFile(copy, *contents); !written.ok()) return written;
    if (chmod(copy.c_str(), 0755) != 0) return absl::InternalError("chmod the copy of hull");
    return HullFromACopy(copy, *std::move(contents));
  }
  HullFromACopy(HullFromACopy&& other) noexcept
      : original_(std::exchange(other.original_, "")), copy_(other.copy_),
        contents_(std::move(other.contents_)) {}
  ~HullFromACopy() {
    if (!original_.empty()) SetHullBinary(original_);
  }

  const std::string& path() const { return copy_; }
  // Whether the copy still holds hull as it was copied.
  bool Intact() const { return ReadFile(copy_).value_or("") == contents_; }

 private:
  HullFromACopy(std::string copy, std::string contents)
      : original_(HullBinary()), copy_(std::move(copy)), contents_(std::move(contents)) {
    SetHullBinary(copy_);
  }

  std::string original_;
  std::string copy_;
  std::string contents_;
};

// CVE-2019-5736 as issue 9 describes it for Hull: a container sharing the
// pid namespace of a created container, with CAP_SYS_PTRACE, opens
// /proc/1/exe (the other's init, still the runtime then) and, once that one
// has started (its launcher gone, so the binary is no longer busy), reopens
// it for writing through /proc/self/fd. It also reads the init's
// environment, which must not be the launcher's.
TEST_F(EscapeTest, Cve2019_5736TheInitsExeCannotBeWrittenNorItsEnvironmentRead) {
  absl::StatusOr<HullFromACopy> hull = HullFromACopy::Make();
  ASSERT_TRUE(hull.ok()) << hull.status();
  absl::StatusOr<std::string> shared = MakeTempDir("shared");
  ASSERT_TRUE(shared.ok()) << shared.status();
  ASSERT_EQ(setenv("HULL_ESCAPE_CANARY", "launcher-secret", 1), 0);

  const std::string victim = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), victim));
  absl::StatusOr<runtime::OciState> victim_state = State(victim);
  ASSERT_TRUE(victim_state.ok()) << victim_state.status();

  config::Spec attacker = ContainerSpec(Sh(
      "exec 3</proc/1/exe || exit 9\n"
      "tr '\\0' '\\n' </proc/1/environ >/shared/environ\n"
      "touch /shared/opened\n"
      "while [ ! -e /shared/go ]; do usleep 20000; done\n"
      "{ echo pwned >/proc/self/fd/3; } 2>/shared/write-error\n"
      "echo $? >/shared/write-status.new\n"
      "mv /shared/write-status.new /shared/write-status\n"));
  SetNamespace(attacker, "pid", absl::StrCat("/proc/", victim_state->pid(), "/ns/pid"));
  AddCapability(attacker, "CAP_SYS_PTRACE");
  AddMount(attacker, "/shared", "bind", *shared, {"rbind", "rw"});
  const std::string attacker_id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(attacker);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult run = Hull({"run", "--detach", "--bundle", (*bundle)->path(), attacker_id});
  ASSERT_EQ(run.exit_code, 0) << run;
  ASSERT_TRUE(Eventually([&] { return Exists(*shared + "/opened"); }))
      << "the attacker could not open /proc/1/exe";
  EXPECT_THAT(ReadFile(*shared + "/environ").value_or("?"), Not(HasSubstr("launcher-secret")));

  HullResult start = Hull({"start", victim});
  ASSERT_EQ(start.exit_code, 0) << start;
  ASSERT_TRUE(WriteFile(*shared + "/go", "").ok());
  ASSERT_TRUE(Eventually([&] { return Exists(*shared + "/write-status"); }));
  EXPECT_NE(ReadFile(*shared + "/write-status").value_or("?"), "0\n");
  EXPECT_THAT(ReadFile(*shared + "/write-error").value_or("?"), HasSubstr("Read-only file system"));
  EXPECT_TRUE(hull->Intact()) << "the container overwrote the runtime's binary";
  unsetenv("HULL_ESCAPE_CANARY");
  // The attacker first: its init, reparented to this test, must be reaped
  // before the victim's pid namespace can end.
  EXPECT_EQ(Hull({"delete", "--force", attacker_id}).exit_code, 0);
  ReapExitedContainers();
}

// CVE-2019-16884: an image whose /proc is a volume (a look-alike directory
// of the image, or a tmpfs) would take the AppArmor profile write and the
// masks, and the process would run unconfined. Here only a procfs may be
// mounted on /proc, and a profile is refused on a host without AppArmor
// (this one) rather than dropped.
TEST_F(EscapeTest, Cve2019_16884AVolumeOverProcAndAProfileWithoutAppArmorAreRefused) {
  if (ReadFile("/sys/module/apparmor/parameters/enabled").value_or("N")[0] != 'Y') {
    config::Spec confined = ContainerSpec({"true"});
    confined.mutable_process()->set_apparmor_profile("hull-escape-test");
    HullResult result = RunContainer(confined);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr("apparmor profile specified but AppArmor is not enabled"))
        << result;
  }
  for (const bool bind : {true, false}) {
    SCOPED_TRACE(bind ? "a directory of the image bound over /proc" : "a tmpfs over /proc");
    config::Spec spec = ContainerSpec({"cat", "/proc/self/attr/current"});
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string fake = (*bundle)->rootfs() + "/fakeproc";
    ASSERT_EQ(mkdir(fake.c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(fake + "/kcore", "fake kcore").ok());
    if (bind) {
      AddMount(spec, "/proc", "bind", fake, {"rbind"});
    } else {
      AddMount(spec, "/proc", "tmpfs", "tmpfs", {});
    }
    spec.mutable_root()->set_path((*bundle)->rootfs());
    ASSERT_TRUE((*bundle)->WriteConfig(spec).ok());
    HullResult result = RunBundle(**bundle);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr(bind ? "the source is not on procfs"
                                           : "only a procfs may be mounted on /proc"))
        << result;
    EXPECT_EQ(ReadFile(fake + "/kcore").value_or("?"), "fake kcore");
    EXPECT_THAT(DirectoryEntries(fake), ElementsAre("kcore"));
  }
  ExpectHostMountsUntouched();
}

// CVE-2019-19921: a /proc that is a symlink in the image would put the
// container's procfs elsewhere in its rootfs (a volume the attacker swaps),
// so that the masks and labels land on another file. Refused, as runc does.
TEST_F(EscapeTest, Cve2019_19921ProcOrSysThatIsASymlinkInTheImageIsRefused) {
  for (const std::string dir : {"proc", "sys"}) {
    SCOPED_TRACE(dir);
    absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"true"}));
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string path = (*bundle)->rootfs() + "/" + dir;
    ASSERT_EQ(rmdir(path.c_str()), 0) << strerror(errno);
    ASSERT_EQ(mkdir(((*bundle)->rootfs() + "/elsewhere").c_str(), 0755), 0);
    ASSERT_EQ(symlink("elsewhere", path.c_str()), 0) << strerror(errno);
    HullResult result = RunBundle(**bundle);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err,
                HasSubstr(absl::StrCat(
                    "\"/", dir, "\" in \"", (*bundle)->rootfs(),
                    "\": it is a symlink or passes through one; procfs and sysfs must be mounted "
                    "on an ordinary directory")))
        << result;
    EXPECT_EQ(DirectoryEntries((*bundle)->rootfs() + "/elsewhere").size(), 0u) << result;
  }
  ExpectHostMountsUntouched();
}

// CVE-2021-30465: while the runtime mounts a volume on /mnt/target, a
// process outside (another container sharing the directory) exchanges that
// directory with a symlink to a host directory, so that a mount resolved by
// path on the host lands there: on the host's "/" in runc's advisory; here
// on the directory the container's next volume comes from, /watch, so that
// a mount gone astray shows in the container (a mount stacked on "/" would
// not be seen through the root it covers). Hull resolves each destination
// once, inside the rootfs, and mounts on the fd: whichever it got, the
// volume stays in the rootfs, /watch shows the host directory as it is, and
// nothing the container writes reaches it.
TEST_F(EscapeTest, Cve2021_30465ASymlinkExchangedWithTheDestinationDuringCreateStaysInside) {
  absl::StatusOr<std::string> volume = MakeTempDir("volume");
  ASSERT_TRUE(volume.ok()) << volume.status();
  absl::StatusOr<std::string> watched = MakeTempDir("watched");
  ASSERT_TRUE(watched.ok()) << watched.status();
  ASSERT_TRUE(WriteFile(*volume + "/which", "volume\n").ok());
  ASSERT_TRUE(WriteFile(*watched + "/which", "watched\n").ok());
  config::Spec spec = ContainerSpec(Sh("cat /watch/which; echo written >/mnt/target/written"));
  AddMount(spec, "/mnt/target", "bind", *volume, {"rbind", "rw"});
  AddMount(spec, "/watch", "bind", *watched, {"rbind", "rw"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string mnt = (*bundle)->rootfs() + "/mnt";
  ASSERT_EQ(mkdir(mnt.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((mnt + "/target").c_str(), 0755), 0);
  ASSERT_EQ(symlink(watched->c_str(), (mnt + "/decoy").c_str()), 0);

  std::atomic<bool> stop = false;
  std::atomic<int> exchanges = 0;
  std::thread racer([&] {
    const std::string target = mnt + "/target";
    const std::string decoy = mnt + "/decoy";
    while (!stop) {
      if (renameat2(AT_FDCWD, target.c_str(), AT_FDCWD, decoy.c_str(), RENAME_EXCHANGE) == 0) {
        ++exchanges;
      }
    }
  });
  int ran = 0;
  for (int i = 0; i < 30; ++i) {
    HullResult result = RunBundle(**bundle);
    EXPECT_THAT(result.out, Not(HasSubstr("volume"))) << "the volume went to the host: " << result;
    if (result.exit_code == 0) ++ran;
  }
  stop = true;
  racer.join();
  EXPECT_GT(exchanges, 0);
  // The runs that won the race wrote into the volume; none wrote elsewhere.
  EXPECT_EQ(ReadFile(*volume + "/written").value_or(""), ran > 0 ? "written\n" : "");
  EXPECT_THAT(DirectoryEntries(*watched), ElementsAre("which"));
  EXPECT_EQ(ReadFile(*watched + "/which").value_or("?"), "watched\n");
  ExpectHostMountsUntouched();
}

// Sets file capabilities on `path` (as setcap does): `inheritable` in the
// file's inheritable set, none permitted, the effective bit set; a process
// whose own inheritable set holds them gains them by executing the file.
bool SetFileInheritableCapabilities(const std::string& path, uint64_t inheritable) {
  vfs_cap_data data = {};
  data.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
  data.data[0].inheritable = static_cast<uint32_t>(inheritable);
  data.data[1].inheritable = static_cast<uint32_t>(inheritable >> 32);
  return setxattr(path.c_str(), "security.capability", &data, XATTR_CAPS_SZ_2, 0) == 0;
}

// CVE-2022-29162: runc gave the process inheritable capabilities it was
// not configured with, so that a non-root user executing a binary with
// inheritable file capabilities gained them. The image here holds such a
// binary (busybox's grep with every capability inheritable); executed by
// uid 1000, in the container's process and in an exec'd one, it gains
// nothing, nor does a binary without file capabilities, and the inheritable
// set is empty. The same binary with
// CAP_NET_RAW configured inheritable gains it: the probe can see a gain.
TEST_F(EscapeTest, Cve2022_29162NoInheritableCapabilitiesUnlessConfigured) {
  // The binary with file capabilities, then one without (busybox itself).
  constexpr char kStatus[] =
      "/opt/fcaps/grep ^Cap[IPEA] /proc/self/status; grep ^Cap[IPEA] /proc/self/status";
  auto make_bundle = [&](const config::Spec& spec) -> Bundle* {
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    if (!bundle.ok()) {
      ADD_FAILURE() << bundle.status();
      return nullptr;
    }
    const std::string dir = (*bundle)->rootfs() + "/opt/fcaps";
    absl::StatusOr<std::string> busybox = ReadFile((*bundle)->rootfs() + "/bin/busybox");
    if (mkdir(((*bundle)->rootfs() + "/opt").c_str(), 0755) != 0 || mkdir(dir.c_str(), 0755) != 0 ||
        !busybox.ok() || !WriteFile(dir + "/grep", *busybox).ok() ||
        chmod((dir + "/grep").c_str(), 0755) != 0 ||
        !SetFileInheritableCapabilities(dir + "/grep", ~uint64_t{0})) {
      ADD_FAILURE() << "could not plant the binary with file capabilities: " << strerror(errno);
      return nullptr;
    }
    return *bundle;
  };
  auto as_user_without_no_new_privileges = [](config::Spec spec) {
    spec.mutable_process()->mutable_user()->set_uid(1000);
    spec.mutable_process()->mutable_user()->set_gid(1000);
    // no_new_privs would hide the file capabilities: the attack needs it off.
    spec.mutable_process()->set_no_new_privileges(false);
    return spec;
  };
  const std::string none = "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
                           "CapEff:\t0000000000000000\nCapAmb:\t0000000000000000\n";

  config::Spec spec = as_user_without_no_new_privileges(ContainerSpec(Sh(kStatus)));
  Bundle* bundle = make_bundle(spec);
  ASSERT_NE(bundle, nullptr);
  HullResult run = RunBundle(*bundle);
  ASSERT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(run.out, none + none) << run;

  HullResult root = RunContainer(ContainerSpec({"grep", "^CapInh", "/proc/self/status"}));
  ASSERT_EQ(root.exit_code, 0) << root;
  EXPECT_EQ(root.out, "CapInh:\t0000000000000000\n") << root;

  config::Spec sleeper = as_user_without_no_new_privileges(ContainerSpec({"sleep", "1000"}));
  Bundle* sleeper_bundle = make_bundle(sleeper);
  ASSERT_NE(sleeper_bundle, nullptr);
  const std::string id = NewId();
  ASSERT_TRUE(Create(*sleeper_bundle, id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult exec = Hull({"exec", "--user", "1000:1000", id, "sh", "-c", kStatus});
  ASSERT_EQ(exec.exit_code, 0) << exec;
  EXPECT_EQ(exec.out, none + none) << exec;

  // CAP_NET_RAW bounding and inheritable only: the file gives it.
  config::Spec configured = spec;
  configured.mutable_process()->mutable_capabilities()->add_bounding("CAP_NET_RAW");
  configured.mutable_process()->mutable_capabilities()->add_inheritable("CAP_NET_RAW");
  Bundle* configured_bundle = make_bundle(configured);
  ASSERT_NE(configured_bundle, nullptr);
  HullResult gained = RunBundle(*configured_bundle);
  ASSERT_EQ(gained.exit_code, 0) << gained;
  EXPECT_THAT(gained.out, HasSubstr("CapInh:\t0000000000002000\nCapPrm:\t0000000000002000\n"))
      << gained;
}

// CVE-2023-27561, the CVE-2019-19921 regression: the image's /proc is a
// symlink into a volume (a host directory another container shares), mounted
// before or after procfs; procfs would land in the volume, on the host, and
// the masks on whatever the other container puts there. Refused: the volume
// stays empty.
TEST_F(EscapeTest, Cve2023_27561AProcSymlinkIntoAVolumeIsRefused) {
  for (const bool volume_first : {false, true}) {
    SCOPED_TRACE(volume_first ? "volume mounted before /proc" : "volume mounted after /proc");
    absl::StatusOr<std::string> volume = MakeTempDir("volume");
    ASSERT_TRUE(volume.ok()) << volume.status();
    config::Spec spec = ContainerSpec({"true"});
    AddMount(spec, "/volume", "bind", *volume, {"rbind", "rw"});
    if (volume_first) MoveLastMountFirst(spec);
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string proc = (*bundle)->rootfs() + "/proc";
    ASSERT_EQ(rmdir(proc.c_str()), 0) << strerror(errno);
    ASSERT_EQ(symlink("/volume", proc.c_str()), 0) << strerror(errno);
    HullResult result = RunBundle(**bundle);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr("it is a symlink or passes through one; procfs and sysfs "
                                      "must be mounted on an ordinary directory"))
        << result;
    EXPECT_THAT(DirectoryEntries(*volume), IsEmpty());
  }
  ExpectHostMountsUntouched();
}

// CVE-2024-21626: an fd of the runtime on a host directory, leaked into the
// container, is reachable as /proc/self/fd/N: as the process's cwd it
// would put the process on the host's filesystem. The container's process
// and an exec'd one see only their stdio; a cwd of /proc/self/fd/N is
// refused for every small N, for the init and for exec, and the process that
// would have written to the host through it never runs.
TEST_F(EscapeTest, Cve2024_21626NoLeakedFdsAndNoCwdThroughOne) {
  HullResult fds = RunContainer(ContainerSpec({"ls", "/proc/self/fd"}));
  ASSERT_EQ(fds.exit_code, 0) << fds;
  // 3 is ls's own directory fd.
  EXPECT_EQ(fds.out, "0\n1\n2\n3\n") << fds;

  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult exec_fds = Hull({"exec", id, "ls", "/proc/self/fd"});
  ASSERT_EQ(exec_fds.exit_code, 0) << exec_fds;
  EXPECT_EQ(exec_fds.out, "0\n1\n2\n3\n") << exec_fds;

  absl::StatusOr<std::string> host_dir = MakeTempDir("host");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  const std::string escaped = *host_dir + "/escaped";
  // From a cwd on the host, enough ".." reach "/", then the host's path.
  const std::vector<std::string> attack =
      Sh(absl::StrCat("echo pwned >../../../../../../../../../..", escaped));
  for (int fd = 3; fd <= 8; ++fd) {
    const std::string cwd = absl::StrCat("/proc/self/fd/", fd);
    SCOPED_TRACE(cwd);
    config::Spec spec = ContainerSpec(attack);
    spec.mutable_process()->set_cwd(cwd);
    HullResult run = RunContainer(spec);
    EXPECT_NE(run.exit_code, 0) << run;
    EXPECT_THAT(run.err, HasSubstr(absl::StrCat("cwd \"", cwd, "\""))) << run;
    std::vector<std::string> exec = {"exec", "--cwd", cwd, id};
    exec.insert(exec.end(), attack.begin(), attack.end());
    HullResult exec_run = Hull(exec);
    EXPECT_NE(exec_run.exit_code, 0) << exec_run;
    EXPECT_THAT(exec_run.err, HasSubstr(absl::StrCat("cwd \"", cwd, "\""))) << exec_run;
  }

  // A host directory passed on with --preserve-fds is in the container, as
  // fd 3, but not as the cwd: that is checked to be inside the rootfs.
  const int host_fd = open(host_dir->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(host_fd, 0) << strerror(errno);
  HullOptions preserving;
  preserving.extra_fds = {host_fd};
  HullResult preserved =
      RunContainer(ContainerSpec({"ls", "/proc/self/fd"}), {"--preserve-fds", "1"}, preserving);
  EXPECT_EQ(preserved.out, "0\n1\n2\n3\n4\n") << preserved;
  config::Spec spec = ContainerSpec(attack);
  spec.mutable_process()->set_cwd("/proc/self/fd/3");
  HullResult run = RunContainer(spec, {"--preserve-fds", "1"}, preserving);
  EXPECT_NE(run.exit_code, 0) << run;
  EXPECT_THAT(run.err, HasSubstr("cwd \"/proc/self/fd/3\" is outside the container's root "
                                 "filesystem"))
      << run;
  close(host_fd);
  EXPECT_FALSE(Exists(escaped)) << "a container process wrote to the host";
  ExpectHostMountsUntouched();
}

// CVE-2025-31133: the masks bind the container's /dev/null over the masked
// files; an image (or a racing container sharing /dev) whose /dev/null is a
// symlink to a /proc file, or a plain file, would have the "mask" expose
// that file read-write instead (/proc/sys/kernel/core_pattern: the host's
// core dump handler). Hull checks that /dev/null is the null device.
TEST_F(EscapeTest, Cve2025_31133AFakeDevNullIsNeverUsedToMask) {
  absl::StatusOr<std::string> core_pattern = ReadFile("/proc/sys/kernel/core_pattern");
  ASSERT_TRUE(core_pattern.ok()) << core_pattern.status();
  struct Fake {
    const char* name;
    bool symlink;
  };
  for (const Fake fake : {Fake{"a symlink to core_pattern", true}, Fake{"a plain file", false}}) {
    SCOPED_TRACE(fake.name);
    // /dev is the image's own, not a tmpfs of the runtime's.
    config::Spec spec = ContainerSpec(Sh("echo '|/bin/pwned' >/proc/sys/kernel/core_pattern"));
    RemoveMountsAt(spec, "/dev");
    spec.mutable_linux()->clear_masked_paths();
    spec.mutable_linux()->add_masked_paths("/proc/sys/kernel/core_pattern");
    spec.mutable_linux()->clear_readonly_paths();
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string null = (*bundle)->rootfs() + "/dev/null";
    if (fake.symlink) {
      ASSERT_EQ(symlink("/proc/sys/kernel/core_pattern", null.c_str()), 0) << strerror(errno);
    } else {
      ASSERT_TRUE(WriteFile(null, "").ok());
    }
    HullResult result = RunBundle(**bundle);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr("\"/dev/null\"")) << result;
    EXPECT_EQ(ReadFile("/proc/sys/kernel/core_pattern").value_or("?"), *core_pattern);
  }
  ExpectHostMountsUntouched();
}

// CVE-2025-52565: the pty's slave is bound over /dev/console; an image whose
// /dev/console is a symlink (to a host file, or into /proc) would have the
// bind land on the symlink's target. Refused: the target file stays as it
// was, and nothing is mounted on it.
TEST_F(EscapeTest, Cve2025_52565ADevConsoleSymlinkIsNotFollowed) {
  absl::StatusOr<std::string> host_file = HostFile("console-target", "host file\n");
  ASSERT_TRUE(host_file.ok()) << host_file.status();
  for (const std::string& target : {*host_file, std::string("/proc/sys/kernel/core_pattern")}) {
    SCOPED_TRACE(target);
    absl::StatusOr<ConsoleSocketListener> listener = ConsoleSocketListener::Listen();
    ASSERT_TRUE(listener.ok()) << listener.status();
    config::Spec spec = ContainerSpec({"true"});
    spec.mutable_process()->set_terminal(true);
    // /dev is the image's own; devpts still comes from the config.
    RemoveMountsAt(spec, "/dev");
    AddMount(spec, "/dev/pts", "devpts", "devpts",
             {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"});
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    const std::string console = (*bundle)->rootfs() + "/dev/console";
    ASSERT_EQ(symlink(target.c_str(), console.c_str()), 0) << strerror(errno);
    const std::string id = NewId();
    HullResult create = Hull({"create", "--bundle", (*bundle)->path(), "--console-socket",
                              listener->path(), id});
    EXPECT_NE(create.exit_code, 0) << create;
    EXPECT_THAT(create.err, HasSubstr("\"/dev/console\": it is a symlink")) << create;
  }
  EXPECT_EQ(ReadFile(*host_file).value_or("?"), "host file\n");
  ExpectHostMountsUntouched();
}

// CVE-2025-52881: the runtime's writes to /proc (sysctls here) redirected
// to another file by a mount the config or the image sets up: a host procfs
// file (core_pattern) or a host file bound over the sysctl's file, directly
// or through a symlink of the image into /proc, or a volume over /proc/sys;
// or a sysctl name climbing out of /proc/sys/net. Each is refused before
// anything is written: the host's core_pattern and
// the host file stay as they were.
TEST_F(EscapeTest, Cve2025_52881SysctlWritesCannotBeRedirected) {
  absl::StatusOr<std::string> core_pattern = ReadFile("/proc/sys/kernel/core_pattern");
  ASSERT_TRUE(core_pattern.ok()) << core_pattern.status();
  absl::StatusOr<std::string> host_file = HostFile("sysctl-target", "host file\n");
  ASSERT_TRUE(host_file.ok()) << host_file.status();
  struct Redirect {
    const char* name;
    const char* destination;
    const char* type;
    std::string source;
    const char* refusal;
  };
  const Redirect redirects[] = {
      {"core_pattern bound over the sysctl", "/proc/sys/kernel/domainname", "bind",
       "/proc/sys/kernel/core_pattern", "the destination is inside /proc"},
      {"a host file bound over the sysctl through a symlink into /proc",
       "/etc/kernel-sysctls/domainname", "bind", *host_file, "the destination resolves into procfs"},
      {"a volume over /proc/sys", "/proc/sys", "tmpfs", "tmpfs", "the destination is inside /proc"},
  };
  for (const Redirect& redirect : redirects) {
    SCOPED_TRACE(redirect.name);
    config::Spec spec = ContainerSpec({"true"});
    (*spec.mutable_linux()->mutable_sysctl())["kernel.domainname"] = "|/bin/pwned";
    AddMount(spec, redirect.destination, redirect.type, redirect.source,
             redirect.type == std::string("bind") ? std::vector<std::string>{"bind"}
                                                  : std::vector<std::string>{});
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    ASSERT_EQ(symlink("/proc/sys/kernel", ((*bundle)->rootfs() + "/etc/kernel-sysctls").c_str()),
              0);
    HullResult result = RunBundle(**bundle);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr(redirect.refusal)) << result;
  }
  // A sysctl of the container's network namespace whose name climbs out
  // of it, in either spelling.
  for (const std::string name : {"net.ipv4.conf.lo/../../../../kernel/core_pattern",
                                  "net/ipv4/../../kernel/core_pattern"}) {
    SCOPED_TRACE(name);
    config::Spec spec = ContainerSpec({"true"});
    (*spec.mutable_linux()->mutable_sysctl())[name] = "|/bin/pwned";
    HullResult result = RunContainer(spec);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr(absl::StrCat("linux.sysctl[\"", name, "\"]: not a sysctl name")))
        << result;
  }
  EXPECT_EQ(ReadFile("/proc/sys/kernel/core_pattern").value_or("?"), *core_pattern);
  EXPECT_EQ(ReadFile(*host_file).value_or("?"), "host file\n");
  ExpectHostMountsUntouched();
}

// CVE-2025-52881 from a hostile process: the container (with CAP_SYS_ADMIN
// in its own mount namespace) binds a look-alike tree of a volume over its
// /proc; `exec` of a process with oomScoreAdj, which writes
// /proc/self/oom_score_adj in the container's mount namespace, must refuse
// that /proc rather than write the look-alike file.
TEST_F(EscapeTest, Cve2025_52881ExecRefusesAProcTheContainerReplaced) {
  absl::StatusOr<std::string> volume = MakeTempDir("volume");
  ASSERT_TRUE(volume.ok()) << volume.status();
  ASSERT_EQ(mkdir((*volume + "/self").c_str(), 0755), 0);
  ASSERT_TRUE(WriteFile(*volume + "/self/oom_score_adj", "decoy\n").ok());
  config::Spec spec =
      ContainerSpec(Sh("mount --bind /volume /proc && touch /volume/ready && exec sleep 1000"));
  AddCapability(spec, "CAP_SYS_ADMIN");
  AddMount(spec, "/volume", "bind", *volume, {"rbind", "rw"});
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(spec, id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Exists(*volume + "/ready"); }))
      << "the container could not replace its /proc";
  absl::StatusOr<std::string> dir = MakeTempDir("process");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(WriteFile(*dir + "/process.json",
                        R"({"user": {"uid": 0, "gid": 0}, "args": ["true"], "cwd": "/",
                            "oomScoreAdj": 500})")
                  .ok());
  HullResult exec = Hull({"exec", "-p", *dir + "/process.json", id});
  EXPECT_NE(exec.exit_code, 0) << exec;
  EXPECT_THAT(exec.err, HasSubstr("/proc is not on procfs")) << exec;
  EXPECT_EQ(ReadFile(*volume + "/self/oom_score_adj").value_or("?"), "decoy\n");
  ExpectHostMountsUntouched();
}

}  // namespace
}  // namespace hull::testing
