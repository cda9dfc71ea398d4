// Id-mapped bind mounts (mounts[].uidMappings/gidMappings, "idmap",
// "ridmap"), as a container sees them: a file owned by a host id appears as
// the id it is mapped to, and what the container writes lands on the host as
// the host id.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;

// Maps `size` uids and gids from `on_disk` (the ids in the source's
// filesystem) to `seen` (the ids the container sees) on the last mount.
void MapIds(config::Spec& spec, uint32_t on_disk, uint32_t seen, uint32_t size) {
  config::Mount& mount = *spec.mutable_mounts(spec.mounts_size() - 1);
  for (config::IdMapping* mapping : {mount.add_uid_mappings(), mount.add_gid_mappings()}) {
    mapping->set_container_id(on_disk);
    mapping->set_host_id(seen);
    mapping->set_size(size);
  }
}

class IdMappedMountTest : public HullTest {
 protected:
  // `hull run` of a container with an id-mapped bind of sysfs, which does not
  // support id-mapped mounts, in a user namespace of its own when
  // `user_namespace`: its stderr, once checked that it failed and left
  // nothing.
  std::string RunWithIdMappedSysfs(bool user_namespace) {
    absl::StatusOr<std::set<std::string>> mounts_before = HostMounts();
    EXPECT_TRUE(mounts_before.ok()) << mounts_before.status();
    config::Spec spec = ContainerSpec({"true"});
    if (user_namespace) UseUserNamespace(spec, 100000, 65536);
    AddMount(spec, "/mnt/sys", "bind", "/sys/kernel", {"rbind", "idmap"});
    MapIds(spec, 0, user_namespace ? 100000 : 1000, 1);
    absl::StatusOr<Bundle*> bundle =
        user_namespace ? MakeBundleReachableByAnyUser(spec) : MakeBundle(spec);
    if (!mounts_before.ok() || !bundle.ok()) return bundle.status().ToString();
    const std::string id = NewId();
    HullResult result = Hull({"run", "--bundle", (*bundle)->path(), id});
    EXPECT_NE(result.exit_code, 0) << result;
    ExpectNothingLeft(**bundle, id, *mounts_before);
    return result.err;
  }
};

TEST_F(IdMappedMountTest, HostIdsAppearMappedAndWritesLandAsTheHostIds) {
  absl::StatusOr<std::string> host_dir = MakeTempDir("idmapped");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  const std::string owned = *host_dir + "/owned";
  ASSERT_TRUE(WriteFile(owned, "x").ok());
  ASSERT_EQ(chown(owned.c_str(), 1234, 1234), 0);
  ASSERT_EQ(chown(host_dir->c_str(), 1234, 1234), 0);
  // The container's root has no CAP_DAC_OVERRIDE: let it look into the plain
  // bind, where the directory is not its own.
  ASSERT_EQ(chmod(host_dir->c_str(), 0755), 0);
  const std::string unmapped = *host_dir + "/unmapped";
  ASSERT_TRUE(WriteFile(unmapped, "x").ok());
  ASSERT_EQ(chown(unmapped.c_str(), 4321, 4321), 0);

  config::Spec spec = ContainerSpec(
      Sh("stat -c '%u:%g' /mnt/mapped/owned /mnt/mapped/unmapped /mnt/plain/owned && "
         "touch /mnt/mapped/made && mkdir /mnt/mapped/dir"));
  AddMount(spec, "/mnt/mapped", "bind", *host_dir, {"bind", "idmap"});
  MapIds(spec, 1234, 0, 1);
  AddMount(spec, "/mnt/plain", "bind", *host_dir, {"bind"});
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  // Host 1234 is root through the mapping; 4321 has no mapping (the
  // overflow id); the plain bind shows the host's ids.
  EXPECT_EQ(result.out, "0:0\n65534:65534\n1234:1234\n") << result;
  EXPECT_EQ(Owner(*host_dir + "/made"), "1234:1234");
  EXPECT_EQ(Owner(*host_dir + "/dir"), "1234:1234");
}

TEST_F(IdMappedMountTest, MappingsWithoutAnOptionAndRidmapAreHonoured) {
  absl::StatusOr<std::string> host_dir = MakeTempDir("ridmapped");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  const std::string owned = *host_dir + "/owned";
  ASSERT_TRUE(WriteFile(owned, "x").ok());
  ASSERT_EQ(chown(owned.c_str(), 2000, 3000), 0);
  ASSERT_EQ(chmod(host_dir->c_str(), 0755), 0);

  // A range: host 2000.. and 3000.. are seen as 10.. and 20.. (uids and gids
  // share the mapping here, so gid 3000 has none and shows as the overflow).
  config::Spec spec = ContainerSpec(Sh("stat -c '%u:%g' /mnt/a/owned /mnt/b/owned"));
  AddMount(spec, "/mnt/a", "bind", *host_dir, {"rbind"});
  MapIds(spec, 2000, 10, 5);
  AddMount(spec, "/mnt/b", "bind", *host_dir, {"rbind", "ridmap"});
  MapIds(spec, 3000, 20, 5);
  HullResult result = RunContainer(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "10:65534\n65534:20\n") << result;
}

TEST_F(IdMappedMountTest, AFilesystemWithoutIdMappedMountsIsAClearErrorLeavingNothing) {
  const std::string err = RunWithIdMappedSysfs(/*user_namespace=*/false);
  EXPECT_THAT(err, HasSubstr("mount_setattr MOUNT_ATTR_IDMAP: Invalid argument (the "
                             "source's filesystem does not support id-mapped mounts)"));
  EXPECT_THAT(err, HasSubstr("/sys/kernel"));
}

TEST_F(IdMappedMountTest, AnIdMappedMountOfAnythingButABindIsRefused) {
  config::Spec spec = ContainerSpec({"true"});
  AddMount(spec, "/mnt/tmp", "tmpfs", "tmpfs", {"idmap"});
  MapIds(spec, 0, 1000, 1);
  HullResult result = RunContainer(spec);
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr("id-mapped mounts are only supported for bind mounts"))
      << result;
}

// In a container with a user namespace of its own (0 -> 100000, 65536 ids)
// the launcher id-maps the trees and the init attaches them.
class UserNamespaceIdMappedMountTest : public IdMappedMountTest {
 protected:
  void SetUp() override {
    IdMappedMountTest::SetUp();
    // Under /tmp: the container's root, host id 100000, stats the sources of
    // the plain binds, which TEST_TMPDIR's parents would hide from it.
    absl::StatusOr<std::string> dir = MakeTempDir("hull-idmapped-userns", "/tmp");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  }
  void TearDown() override {
    for (const std::string& mount : host_mounts_) umount2(mount.c_str(), MNT_DETACH);
    if (!dir_.empty()) RemoveTree(dir_);
    IdMappedMountTest::TearDown();
  }

  // A directory under the test's own, mode 0755, owned by `uid`:`uid`.
  std::string MakeDir(const std::string& name, uid_t uid) {
    const std::string path = dir_ + "/" + name;
    EXPECT_EQ(mkdir(path.c_str(), 0755), 0) << path;
    EXPECT_EQ(chown(path.c_str(), uid, uid), 0) << path;
    return path;
  }
  // A file owned by `uid`:`gid`.
  static void MakeFile(const std::string& path, uid_t uid, gid_t gid) {
    ASSERT_TRUE(WriteFile(path, "x").ok()) << path;
    ASSERT_EQ(chown(path.c_str(), uid, gid), 0) << path;
  }

  HullResult Run(config::Spec spec) {
    UseUserNamespace(spec, 100000, 65536);
    absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
    if (!bundle.ok()) return HullResult{.exit_code = -1, .err = bundle.status().ToString()};
    // The container's root owns /mnt, where it makes the mount points.
    const std::string mnt = (*bundle)->rootfs() + "/mnt";
    if (mkdir(mnt.c_str(), 0755) != 0 || chown(mnt.c_str(), 100000, 100000) != 0) {
      return HullResult{.exit_code = -1, .err = "cannot make " + mnt};
    }
    return RunBundle(**bundle);
  }

  std::string dir_;
  std::vector<std::string> host_mounts_;  // unmounted at the end
};

TEST_F(UserNamespaceIdMappedMountTest, HostIdsAppearMappedAndWritesLandAsTheHostIds) {
  const std::string shared = MakeDir("shared", 1234);
  MakeFile(shared + "/owned", 1234, 1234);
  MakeFile(shared + "/unmapped", 4321, 4321);

  // Host 1234 is seen by the host as 100000 through the mount, which is the
  // container's root; the plain bind shows 1234, which the container's
  // namespace does not map. "ro", "nosuid" and "shared" hold on the
  // launcher's tree once the init attached it.
  config::Spec spec = ContainerSpec(
      Sh("stat -c '%u:%g' /mnt/mapped/owned /mnt/mapped/unmapped /mnt/plain/owned && "
         "touch /mnt/mapped/made && mkdir /mnt/mapped/dir && "
         "if touch /mnt/ro/nope 2>/dev/null; then echo writable; fi; "
         "grep ' /mnt/ro ' /proc/self/mountinfo"));
  AddMount(spec, "/mnt/mapped", "bind", shared, {"bind", "idmap"});
  MapIds(spec, 1234, 100000, 1);
  AddMount(spec, "/mnt/plain", "bind", shared, {"bind"});
  AddMount(spec, "/mnt/ro", "bind", shared, {"bind", "ro", "nosuid", "shared"});
  MapIds(spec, 1234, 100000, 1);
  HullResult result = Run(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 4u) << result;
  EXPECT_EQ(lines[0], "0:0");
  EXPECT_EQ(lines[1], "65534:65534");
  EXPECT_EQ(lines[2], "65534:65534");
  // Read-only and nosuid (the mount's options), shared (its propagation).
  EXPECT_THAT(lines[3], ::testing::ContainsRegex(" ro,nosuid"));
  EXPECT_THAT(lines[3], HasSubstr(" shared:"));
  EXPECT_EQ(Owner(shared + "/made"), "1234:1234");
  EXPECT_EQ(Owner(shared + "/dir"), "1234:1234");
  EXPECT_NE(access((shared + "/nope").c_str(), F_OK), 0);
}

// "ridmap" maps the submounts of an rbind too, "idmap" only its top mount.
TEST_F(UserNamespaceIdMappedMountTest, RidmapMapsTheSubmountsOfATree) {
  const std::string tree = MakeDir("tree", 0);
  MakeFile(tree + "/top", 2000, 2000);
  ASSERT_EQ(mkdir((tree + "/sub").c_str(), 0755), 0);
  const std::string below = MakeDir("below", 0);
  MakeFile(below + "/file", 2001, 2001);
  ASSERT_EQ(mount(below.c_str(), (tree + "/sub").c_str(), nullptr, MS_BIND, nullptr), 0);
  host_mounts_.push_back(tree + "/sub");

  // The two trees pass and are attached in mount order: swapped, /mnt/r's
  // submount would show unmapped and /mnt/i's mapped.
  config::Spec spec = ContainerSpec(
      Sh("stat -c '%u:%g' /mnt/r/top /mnt/r/sub/file /mnt/i/top /mnt/i/sub/file"));
  AddMount(spec, "/mnt/r", "bind", tree, {"rbind", "ridmap"});
  MapIds(spec, 2000, 100010, 5);
  AddMount(spec, "/mnt/i", "bind", tree, {"rbind", "idmap"});
  MapIds(spec, 2000, 100010, 5);
  HullResult result = Run(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "10:10\n11:11\n10:10\n65534:65534\n") << result;
}

// runtime-spec 1.2: "idmap" without mappings takes the container's user
// namespace: what is on disk is what the container sees.
TEST_F(UserNamespaceIdMappedMountTest, IdmapWithoutMappingsTakesTheContainersNamespace) {
  const std::string shared = MakeDir("shared", 0);
  MakeFile(shared + "/owned", 7, 8);
  config::Spec spec = ContainerSpec(
      Sh("stat -c '%u:%g' /mnt/mapped/owned /mnt/plain/owned && touch /mnt/mapped/made"));
  AddMount(spec, "/mnt/mapped", "bind", shared, {"bind", "idmap"});
  AddMount(spec, "/mnt/plain", "bind", shared, {"bind"});
  HullResult result = Run(spec);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "7:8\n65534:65534\n") << result;
  // The container's root writes as the disk's root.
  EXPECT_EQ(Owner(shared + "/made"), "0:0");
}

// A container that joins a user namespace (another container's, 0 ->
// 100000): the launcher id-maps the trees as well, with the mount's maps or
// the joined namespace's, and they pass to the init alone.
TEST_F(UserNamespaceIdMappedMountTest, InAJoinedUserNamespaceTheLauncherMapsTheTrees) {
  config::Spec holder = ContainerSpec({"sleep", "600"});
  UseUserNamespace(holder, 100000, 65536);
  absl::StatusOr<Bundle*> holder_bundle = MakeBundleReachableByAnyUser(holder);
  ASSERT_TRUE(holder_bundle.ok()) << holder_bundle.status();
  const std::string holder_id = NewId();
  HullResult created = Hull({"create", "--bundle", (*holder_bundle)->path(), holder_id});
  ASSERT_EQ(created.exit_code, 0) << created;
  absl::StatusOr<runtime::OciState> holder_state = State(holder_id);
  ASSERT_TRUE(holder_state.ok()) << holder_state.status();

  const std::string shared = MakeDir("shared", 1234);
  MakeFile(shared + "/owned", 1234, 1234);
  const std::string disk = MakeDir("disk", 0);
  MakeFile(disk + "/owned", 7, 8);
  config::Spec spec = ContainerSpec(
      Sh("stat -c '%u:%g' /mnt/mapped/owned /mnt/joined/owned /mnt/plain/owned && "
         "touch /mnt/mapped/made"));
  AddMount(spec, "/mnt/mapped", "bind", shared, {"bind", "idmap"});
  MapIds(spec, 1234, 100000, 1);
  // Without maps: the joined namespace's.
  AddMount(spec, "/mnt/joined", "bind", disk, {"bind", "idmap"});
  AddMount(spec, "/mnt/plain", "bind", disk, {"bind"});
  SetNamespace(spec, "user", absl::StrCat("/proc/", holder_state->pid(), "/ns/user"));
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string mnt = (*bundle)->rootfs() + "/mnt";
  ASSERT_EQ(mkdir(mnt.c_str(), 0755), 0);
  ASSERT_EQ(chown(mnt.c_str(), 100000, 100000), 0);
  HullResult result = RunBundle(**bundle);
  EXPECT_EQ(Hull({"delete", "--force", holder_id}).exit_code, 0);
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "0:0\n7:8\n65534:65534\n") << result;
  EXPECT_EQ(Owner(shared + "/made"), "1234:1234");
}

// The launcher's failure: the init is killed, the trees made are closed.
TEST_F(UserNamespaceIdMappedMountTest, AnUnsupportedFilesystemIsAClearErrorLeavingNothing) {
  EXPECT_THAT(RunWithIdMappedSysfs(/*user_namespace=*/true),
              HasSubstr("prepare the id-mapped tree of \"/sys/kernel\" for \"/mnt/sys\": "
                        "mount_setattr MOUNT_ATTR_IDMAP: Invalid argument (the source's "
                        "filesystem does not support id-mapped mounts)"));
}

}  // namespace
}  // namespace hull::testing
