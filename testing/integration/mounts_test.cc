// The container's mounts, /dev and path restrictions, as its processes see
// them.
#include <sys/stat.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

// One line of /proc/self/mountinfo.
struct MountEntry {
  std::string mount_point;
  std::vector<std::string> options;  // per-mount: ro, nosuid, ...
  std::string type;
  std::vector<std::string> super_options;  // the filesystem's: size=..., mode=...
};

std::map<std::string, MountEntry> ParseMountinfo(const std::string& text) {
  std::map<std::string, MountEntry> mounts;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    auto separator = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 6 || fields.end() - separator < 4) continue;
    MountEntry entry{.mount_point = fields[4],
                     .options = absl::StrSplit(fields[5], ','),
                     .type = separator[1],
                     .super_options = absl::StrSplit(separator[3], ',')};
    mounts[entry.mount_point] = entry;  // the last mount on a point is the visible one
  }
  return mounts;
}

using MountsTest = HullTest;

TEST_F(MountsTest, ConfiguredMountsCarryTheirFlags) {
  absl::StatusOr<std::string> host_dir = MakeTempDir("bind-source");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  ASSERT_TRUE(WriteFile(*host_dir + "/hello", "from the host\n").ok());
  // rro needs a source with submounts: the host's cgroup hierarchies.
  absl::StatusOr<std::set<std::string>> host_mounts = HostMounts();
  ASSERT_TRUE(host_mounts.ok()) << host_mounts.status();
  ASSERT_THAT(*host_mounts, Contains(::testing::StartsWith("/sys/fs/cgroup/memory ")))
      << "the host has no cgroup submounts under /sys/fs/cgroup";

  config::Spec spec = ContainerSpec(
      {"sh", "-c",
       "cat /proc/self/mountinfo; echo ---; cat /mnt/bind/hello; touch /mnt/bind/new; "
       "touch /mnt/tmpfs/new && echo tmpfs-writable"});
  AddMount(spec, "/mnt/bind", "bind", *host_dir, {"rbind", "ro", "nosuid", "nodev", "noexec"});
  AddMount(spec, "/mnt/tmpfs", "tmpfs", "tmpfs", {"nosuid", "nodev", "size=1m", "mode=700"});
  AddMount(spec, "/mnt/rro", "bind", "/sys/fs/cgroup", {"rbind", "rro"});
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> parts = absl::StrSplit(result.out, "---\n");
  ASSERT_EQ(parts.size(), 2u) << result;
  std::map<std::string, MountEntry> mounts = ParseMountinfo(parts[0]);

  ASSERT_TRUE(mounts.contains("/mnt/bind")) << parts[0];
  EXPECT_THAT(mounts["/mnt/bind"].options, IsSupersetOf({"ro", "nosuid", "nodev", "noexec"}));
  EXPECT_THAT(parts[1], HasSubstr("from the host\n"));
  EXPECT_THAT(result.err, HasSubstr("touch: /mnt/bind/new: Read-only file system")) << result;

  ASSERT_TRUE(mounts.contains("/mnt/tmpfs")) << parts[0];
  EXPECT_EQ(mounts["/mnt/tmpfs"].type, "tmpfs");
  EXPECT_THAT(mounts["/mnt/tmpfs"].options, IsSupersetOf({"rw", "nosuid", "nodev"}));
  EXPECT_THAT(mounts["/mnt/tmpfs"].options, Not(Contains("noexec")));
  EXPECT_THAT(mounts["/mnt/tmpfs"].super_options, IsSupersetOf({"size=1024k", "mode=700"}));
  EXPECT_THAT(parts[1], HasSubstr("tmpfs-writable")) << result;

  // rro: the bind and every mount below it are read-only.
  int under_rro = 0;
  for (const auto& [point, entry] : mounts) {
    if (point != "/mnt/rro" && !absl::StartsWith(point, "/mnt/rro/")) continue;
    ++under_rro;
    EXPECT_THAT(entry.options, Contains("ro")) << point << " is not read-only";
  }
  EXPECT_GT(under_rro, 1) << "the rro bind brought no submounts: " << parts[0];
}

TEST_F(MountsTest, ReadonlyRootAndReadonlyPathsRefuseWrites) {
  config::Spec spec =
      ContainerSpec({"sh", "-c",
                     "touch /new-file; echo x > /proc/sys/kernel/domainname; "
                     "touch /tmp/new-file || true; awk '$5 == \"/\"' /proc/self/mountinfo"});
  ASSERT_TRUE(spec.root().readonly()) << "runc's default config has a read-only root";
  HullResult result = RunContainer(spec);
  EXPECT_THAT(result.err, HasSubstr("touch: /new-file: Read-only file system")) << result;
  EXPECT_THAT(result.err,
              HasSubstr("can't create /proc/sys/kernel/domainname: Read-only file system"))
      << result;
  // /tmp is part of the read-only root too.
  EXPECT_THAT(result.err, HasSubstr("touch: /tmp/new-file: Read-only file system")) << result;
  std::vector<std::string> root_line = absl::StrSplit(result.out, ' ', absl::SkipEmpty());
  ASSERT_GT(root_line.size(), 5u) << result;
  EXPECT_THAT(absl::StrSplit(root_line[5], ','), Contains("ro")) << result;
}

TEST_F(MountsTest, WritableRootAcceptsWrites) {
  config::Spec spec = ContainerSpec({"sh", "-c", "touch /new-file && echo written"});
  spec.mutable_root()->set_readonly(false);
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "written\n") << result;
}

TEST_F(MountsTest, MaskedPathsReadEmpty) {
  // Non-empty on the host, so that reading nothing proves the mask.
  absl::StatusOr<std::string> timer_list = ReadFile("/proc/timer_list");
  ASSERT_TRUE(timer_list.ok() && !timer_list->empty()) << "/proc/timer_list is empty here";
  struct stat firmware;
  ASSERT_EQ(stat("/sys/firmware/acpi", &firmware), 0) << "/sys/firmware is empty here";

  config::Spec spec = ContainerSpec(
      {"sh", "-c", "wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; wc -c < /proc/keys"});
  EXPECT_THAT(spec.linux().masked_paths(),
              IsSupersetOf({"/proc/timer_list", "/sys/firmware", "/proc/keys"}));
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out), ::testing::ElementsAre("0", "0", "0")) << result;
}

TEST_F(MountsTest, DevHoldsExactlyTheStandardDevicesAndLinks) {
  config::Spec spec = ContainerSpec(
      {"sh", "-c",
       "ls -A /dev; echo ---; "
       "stat -c '%n %F %t:%T %a' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty;"
       " echo ---; for l in ptmx fd stdin stdout stderr; do echo $l $(readlink /dev/$l); done;"
       " echo ---; grep ' /dev' /proc/self/mountinfo"});
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> parts = absl::StrSplit(result.out, "---\n");
  ASSERT_EQ(parts.size(), 4u) << result;
  EXPECT_THAT(Lines(parts[0]), UnorderedElementsAreArray(
                                   {"null", "zero", "full", "random", "urandom", "tty", "ptmx",
                                    "pts", "shm", "mqueue", "fd", "stdin", "stdout", "stderr"}))
      << result;
  // Majors and minors in hex, as stat prints them.
  EXPECT_THAT(Lines(parts[1]), ::testing::ElementsAre("/dev/null character special file 1:3 666",
                                                      "/dev/zero character special file 1:5 666",
                                                      "/dev/full character special file 1:7 666",
                                                      "/dev/random character special file 1:8 666",
                                                      "/dev/urandom character special file 1:9 666",
                                                      "/dev/tty character special file 5:0 666"))
      << result;
  EXPECT_THAT(Lines(parts[2]),
              ::testing::ElementsAre("ptmx pts/ptmx", "fd /proc/self/fd", "stdin /proc/self/fd/0",
                                     "stdout /proc/self/fd/1", "stderr /proc/self/fd/2"))
      << result;
  std::map<std::string, MountEntry> mounts = ParseMountinfo(parts[3]);
  EXPECT_EQ(mounts["/dev"].type, "tmpfs") << parts[3];
  EXPECT_EQ(mounts["/dev/pts"].type, "devpts") << parts[3];
  EXPECT_EQ(mounts["/dev/shm"].type, "tmpfs") << parts[3];
  EXPECT_EQ(mounts["/dev/mqueue"].type, "mqueue") << parts[3];
}

TEST_F(MountsTest, ConfiguredDevicesAppear) {
  config::Spec spec =
      ContainerSpec({"stat", "-c", "%n %F %t:%T %a %u:%g", "/dev/fuse", "/dev/integration-fifo"});
  config::Device* fuse = spec.mutable_linux()->add_devices();
  fuse->set_path("/dev/fuse");
  fuse->set_type("c");
  fuse->set_major(10);
  fuse->set_minor(229);
  fuse->set_file_mode(0640);
  fuse->set_uid(1000);
  fuse->set_gid(29);
  config::Device* fifo = spec.mutable_linux()->add_devices();
  fifo->set_path("/dev/integration-fifo");
  fifo->set_type("p");
  fifo->set_file_mode(0600);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Lines(result.out),
              ::testing::ElementsAre("/dev/fuse character special file a:e5 640 1000:29",
                                     "/dev/integration-fifo fifo 0:0 600 0:0"))
      << result;
}

TEST_F(MountsTest, NoPivotRunsInTheRootfs) {
  config::Spec spec = ContainerSpec({"sh", "-c", "stat -c %i /; cat /etc/passwd"});
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  struct stat rootfs;
  ASSERT_EQ(stat((*bundle)->rootfs().c_str(), &rootfs), 0);
  absl::StatusOr<std::string> passwd = ReadFile((*bundle)->rootfs() + "/etc/passwd");
  ASSERT_TRUE(passwd.ok());

  HullResult result = RunBundle(**bundle, {"--no-pivot"});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, absl::StrCat(rootfs.st_ino, "\n", *passwd)) << result;
}

// A container may make a user namespace of its own, and a pid namespace in
// it, but may not mount a procfs there while its own is masked: the kernel
// refuses unless a full one is visible in the mount namespace. Without
// pivot_root the host's mounts stay there, under the root: they must not
// count (issue 9).
TEST_F(MountsTest, NoContainerMountsAnUnmaskedProcfsWithOrWithoutPivot) {
  config::Spec spec = ContainerSpec(Sh(
      "unshare -U -r true && echo user-namespaces-work\n"
      "mkdir -p /tmp/fresh\n"
      "unshare -U -r -m -p -f sh -c 'mount -t proc proc /tmp/fresh && echo mounted; "
      "head -1 /tmp/fresh/timer_list'\n"));
  spec.mutable_root()->set_readonly(false);
  // What mapping root into a user namespace of its own takes (Linux 5.12).
  AddCapability(spec, "CAP_SETFCAP");
  for (const bool no_pivot : {false, true}) {
    SCOPED_TRACE(no_pivot ? "--no-pivot" : "pivot_root");
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    HullResult result =
        RunBundle(**bundle, no_pivot ? std::vector<std::string>{"--no-pivot"}
                                     : std::vector<std::string>{});
    EXPECT_THAT(result.out, ::testing::HasSubstr("user-namespaces-work")) << result;
    EXPECT_THAT(result.out, ::testing::Not(::testing::HasSubstr("mounted"))) << result;
    EXPECT_THAT(result.err, ::testing::HasSubstr("mount: permission denied")) << result;
  }
}

}  // namespace
}  // namespace hull::testing
