// Id-mapped bind mounts (mounts[].uidMappings/gidMappings, "idmap",
// "ridmap"), as a container sees them: a file owned by a host id appears as
// the id it is mapped to, and what the container writes lands on the host as
// the host id.
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

class IdMappedMountTest : public HullTest {};

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
  absl::StatusOr<std::set<std::string>> mounts_before = HostMounts();
  ASSERT_TRUE(mounts_before.ok()) << mounts_before.status();
  // sysfs does not support id-mapped mounts.
  config::Spec spec = ContainerSpec({"true"});
  AddMount(spec, "/mnt/sys", "bind", "/sys/kernel", {"rbind", "idmap"});
  MapIds(spec, 0, 1000, 1);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  HullResult result = Hull({"run", "--bundle", (*bundle)->path(), id});
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr("mount_setattr MOUNT_ATTR_IDMAP: Invalid argument (the "
                                    "source's filesystem does not support id-mapped mounts)"))
      << result;
  EXPECT_THAT(result.err, HasSubstr("/sys/kernel")) << result;
  ExpectNothingLeft(**bundle, id, *mounts_before);
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

TEST_F(IdMappedMountTest, InAContainerWithItsOwnUserNamespaceItIsRefusedClearly) {
  absl::StatusOr<std::string> host_dir = MakeTempDir("userns-idmapped");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  config::Spec spec = ContainerSpec({"true"});
  UseUserNamespace(spec, 100000, 65536);
  AddMount(spec, "/mnt/mapped", "bind", *host_dir, {"bind", "idmap"});
  HullResult result = RunContainer(spec);
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr("id-mapped mounts in a container with a user namespace of "
                                    "its own are not supported yet"))
      << result;
}

}  // namespace
}  // namespace hull::testing
