#include "runtime/rootfs/rootfs_plan.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include <initializer_list>
#include <string>

#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "runtime/rootfs/mount_options.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

config::Mount& AddMount(config::Spec& spec, const std::string& destination, const std::string& type,
                        const std::string& source, std::initializer_list<const char*> options) {
  config::Mount& mount = *spec.add_mounts();
  mount.set_destination(destination);
  mount.set_type(type);
  mount.set_source(source);
  for (const char* option : options) mount.add_options(option);
  return mount;
}

TEST(PlanRootfsTest, DefaultSpec) {
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(config::DefaultSpec(/*rootless=*/false));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->root_propagation, static_cast<unsigned long>(MS_REC | MS_PRIVATE));
  EXPECT_EQ(plan->propagation_after_pivot, 0u);
  EXPECT_TRUE(plan->root_read_only);
  EXPECT_TRUE(plan->setup_dev);
  EXPECT_FALSE(plan->dev_read_only);
  ASSERT_THAT(plan->mounts, SizeIs(7));

  const PlannedMount& proc = plan->mounts[0];
  EXPECT_EQ(proc.kind, MountKind::kFilesystem);
  EXPECT_EQ(proc.destination, "/proc");
  EXPECT_EQ(proc.fstype, "proc");
  EXPECT_EQ(proc.source, "proc");
  EXPECT_EQ(proc.flags, 0u);

  const PlannedMount& dev = plan->mounts[1];
  EXPECT_EQ(dev.fstype, "tmpfs");
  EXPECT_EQ(dev.flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(dev.data, "mode=755,size=65536k");

  const PlannedMount& pts = plan->mounts[2];
  EXPECT_EQ(pts.destination, "/dev/pts");
  EXPECT_EQ(pts.fstype, "devpts");
  EXPECT_EQ(pts.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");

  const PlannedMount& sys = plan->mounts[5];
  EXPECT_EQ(sys.fstype, "sysfs");
  EXPECT_EQ(sys.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));

  const PlannedMount& cgroup = plan->mounts[6];
  EXPECT_EQ(cgroup.kind, MountKind::kCgroup);
  EXPECT_EQ(cgroup.destination, "/sys/fs/cgroup");
  EXPECT_FALSE(cgroup.cgroup_namespace);
  EXPECT_TRUE(cgroup.flags & MS_RDONLY);

  EXPECT_THAT(plan->devices, SizeIs(6));
  for (const DeviceNode& device : plan->devices) {
    EXPECT_EQ(device.type, static_cast<mode_t>(S_IFCHR)) << device.path;
    EXPECT_EQ(device.permissions, 0666u) << device.path;
    EXPECT_FALSE(device.bind_from_host) << device.path;
  }
}

TEST(PlanRootfsTest, RootlessSpecBindsSysAndDevices) {
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(config::DefaultSpec(/*rootless=*/true));
  ASSERT_THAT(plan, IsOk());
  const PlannedMount& sys = plan->mounts[5];
  EXPECT_EQ(sys.kind, MountKind::kBind);
  EXPECT_TRUE(sys.recursive);
  EXPECT_EQ(sys.source, "/sys");
  EXPECT_EQ(sys.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
  for (const DeviceNode& device : plan->devices) EXPECT_TRUE(device.bind_from_host);
}

TEST(PlanRootfsTest, BindMountKeepsAllItsOptions) {
  config::Spec spec;
  AddMount(spec, "/data/./x/", "none", "/srv/data",
           {"bind", "ro", "suid", "noexec", "rshared", "rnodev", "rnoatime", "mode=1"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  const PlannedMount& mount = plan->mounts[0];
  EXPECT_EQ(mount.kind, MountKind::kBind);
  EXPECT_EQ(mount.destination, "/data/x");
  EXPECT_EQ(mount.source, "/srv/data");
  EXPECT_THAT(mount.fstype, IsEmpty());
  EXPECT_FALSE(mount.recursive);
  EXPECT_EQ(mount.flags, static_cast<unsigned long>(MS_RDONLY | MS_NOEXEC));
  EXPECT_EQ(mount.cleared_flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_THAT(mount.propagation, ElementsAre(MS_SHARED | MS_REC));
  EXPECT_EQ(mount.recursive_attr_set, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOATIME);
  EXPECT_EQ(mount.recursive_attr_clr, MOUNT_ATTR__ATIME);
  EXPECT_EQ(mount.data, "mode=1");
}

TEST(PlanRootfsTest, RelativeDestinationIsTakenFromRoot) {
  config::Spec spec;
  AddMount(spec, "tmp/../../x", "tmpfs", "", {});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->mounts[0].destination, "/x");
  // No source: the type stands in, as mount(8) does.
  EXPECT_EQ(plan->mounts[0].source, "tmpfs");
}

// The spec has a relative bind source relative to the bundle.
TEST(ResolveBindSourcesTest, JoinsRelativeBindSourcesWithTheBundle) {
  config::Spec spec;
  AddMount(spec, "/a", "none", "data/a", {"rbind", "ro"});
  AddMount(spec, "/b", "bind", "b", {});
  AddMount(spec, "/c", "none", "/srv/c", {"bind"});
  AddMount(spec, "/d", "tmpfs", "tmpfs", {});
  ResolveBindSources(spec, "/run/bundle");
  EXPECT_EQ(spec.mounts(0).source(), "/run/bundle/data/a");
  EXPECT_EQ(spec.mounts(1).source(), "/run/bundle/b");
  EXPECT_EQ(spec.mounts(2).source(), "/srv/c");
  EXPECT_EQ(spec.mounts(3).source(), "tmpfs") << "not a bind: a source is the filesystem's";
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->mounts[0].source, "/run/bundle/data/a");
}

TEST(PlanRootfsTest, RefusesWhatTheKernelMustNotSee) {
  struct Case {
    const char* destination;
    const char* type;
    const char* source;
    std::initializer_list<const char*> options;
    absl::StatusCode code;
    const char* message;
  };
  const Case cases[] = {
      {"/x",
       "none",
       "relative/dir",
       {"bind"},
       absl::StatusCode::kInvalidArgument,
       "not an absolute"},
      {"/x", "none", "", {"rbind"}, absl::StatusCode::kInvalidArgument, "not an absolute"},
      {"/x", "", "none", {}, absl::StatusCode::kInvalidArgument, "type is missing"},
      {"", "tmpfs", "tmpfs", {}, absl::StatusCode::kInvalidArgument, "destination is empty"},
      {"/..", "tmpfs", "tmpfs", {}, absl::StatusCode::kInvalidArgument, "container's root"},
      {"/proc/sys", "tmpfs", "tmpfs", {}, absl::StatusCode::kInvalidArgument, "inside /proc"},
      {"/x/../proc/kcore",
       "none",
       "/tmp",
       {"bind"},
       absl::StatusCode::kInvalidArgument,
       "inside /proc"},
      {"/proc", "tmpfs", "tmpfs", {}, absl::StatusCode::kInvalidArgument, "only a procfs"},
      {"/tmp",
       "none",
       "/tmp",
       {"bind", "tmpcopyup"},
       absl::StatusCode::kInvalidArgument,
       "\"tmpcopyup\" applies to a tmpfs only"},
      {"/tmp",
       "none",
       "/tmp",
       {"bind", "idmap"},
       absl::StatusCode::kInvalidArgument,
       "needs uidMappings and gidMappings"},
      {"/tmp",
       "tmpfs",
       "tmpfs",
       {"ridmap"},
       absl::StatusCode::kInvalidArgument,
       "only supported for bind mounts"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.destination);
    config::Spec spec;
    AddMount(spec, "/ok", "tmpfs", "tmpfs", {});
    AddMount(spec, c.destination, c.type, c.source, c.options);
    EXPECT_THAT(PlanRootfs(spec).status(),
                StatusIs(c.code, AllOf(HasSubstr("mounts[1]"), HasSubstr(c.message))));
  }
}

// The SELinux mount label as runc passes it: a context= option of every
// filesystem mounted but procfs and sysfs; bind mounts keep their source's.
TEST(PlanRootfsTest, MountLabelIsAContextOption) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  spec.mutable_linux()->set_mount_label("system_u:object_r:container_file_t:s0:c1,c2");
  AddMount(spec, "/data", "none", "/tmp", {"bind"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  const std::string context = "context=\"system_u:object_r:container_file_t:s0:c1,c2\"";
  int labelled = 0;
  for (const PlannedMount& mount : plan->mounts) {
    SCOPED_TRACE(mount.destination);
    if (mount.kind != MountKind::kFilesystem || mount.fstype == "proc" ||
        mount.fstype == "sysfs") {
      EXPECT_THAT(mount.data, Not(HasSubstr("context=")));
      continue;
    }
    ++labelled;
    EXPECT_THAT(mount.data, EndsWith(context));
  }
  // /dev, /dev/pts, /dev/shm, /dev/mqueue.
  EXPECT_EQ(labelled, 4);
  // After the mount's own options, comma-separated.
  for (const PlannedMount& mount : plan->mounts) {
    if (mount.destination == "/dev/pts") {
      EXPECT_EQ(mount.data, "newinstance,ptmxmode=0666,mode=0620,gid=5," + context);
    }
  }
}

// podman adds tmpcopyup to every tmpfs it asks for.
TEST(PlanRootfsTest, ATmpfsWithTmpcopyupIsCopiedUp) {
  config::Spec spec;
  AddMount(spec, "/tmp", "tmpfs", "tmpfs", {"rw", "tmpcopyup", "nosuid"});
  AddMount(spec, "/run", "tmpfs", "tmpfs", {"nosuid"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->mounts[0].copy_up);
  EXPECT_EQ(plan->mounts[0].flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_FALSE(plan->mounts[1].copy_up);
}

// Adds a mapping of `size` ids from `container_id` to `host_id` to both lists.
void AddIdMapping(config::Mount& mount, uint32_t container_id, uint32_t host_id, uint32_t size) {
  for (config::IdMapping* mapping : {mount.add_uid_mappings(), mount.add_gid_mappings()}) {
    mapping->set_container_id(container_id);
    mapping->set_host_id(host_id);
    mapping->set_size(size);
  }
}

TEST(PlanRootfsTest, IdMappedBindsCarryTheirMapsAndRecursion) {
  config::Spec spec;
  AddIdMapping(AddMount(spec, "/a", "none", "/tmp", {"bind"}), 1000, 0, 1);
  AddIdMapping(AddMount(spec, "/b", "none", "/tmp", {"rbind", "idmap"}), 0, 100000, 65536);
  AddIdMapping(AddMount(spec, "/c", "none", "/tmp", {"rbind", "ridmap"}), 5, 6, 7);
  AddMount(spec, "/d", "none", "/tmp", {"bind"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  ASSERT_EQ(plan->mounts.size(), 4u);
  // Mappings without "idmap" or "ridmap" are "idmap", as in runc.
  ASSERT_TRUE(plan->mounts[0].id_mapping.has_value());
  EXPECT_EQ(plan->mounts[0].id_mapping->maps.uid_map, "1000 0 1\n");
  EXPECT_EQ(plan->mounts[0].id_mapping->maps.gid_map, "1000 0 1\n");
  EXPECT_FALSE(plan->mounts[0].id_mapping->recursive);
  ASSERT_TRUE(plan->mounts[1].id_mapping.has_value());
  EXPECT_EQ(plan->mounts[1].id_mapping->maps.uid_map, "0 100000 65536\n");
  EXPECT_FALSE(plan->mounts[1].id_mapping->recursive);
  EXPECT_TRUE(plan->mounts[1].recursive);
  ASSERT_TRUE(plan->mounts[2].id_mapping.has_value());
  EXPECT_TRUE(plan->mounts[2].id_mapping->recursive);
  EXPECT_FALSE(plan->mounts[3].id_mapping.has_value());
}

TEST(PlanRootfsTest, IdMappingsThatCannotBeHonouredAreRefused) {
  {
    config::Spec spec;
    config::Mount& mount = AddMount(spec, "/x", "none", "/tmp", {"bind"});
    AddIdMapping(mount, 0, 1000, 10);
    AddIdMapping(mount, 5, 2000, 10);
    EXPECT_THAT(PlanRootfs(spec).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("mounts[0] (\"/x\"): uidMappings[0] and uidMappings[1] "
                                   "overlap")));
  }
  {
    config::Spec spec;
    spec.mutable_linux()->add_namespaces()->set_type("user");
    config::Mount& mount = AddMount(spec, "/x", "none", "/tmp", {"bind"});
    AddIdMapping(mount, 0, 1000, 10);
    mount.clear_gid_mappings();
    EXPECT_THAT(PlanRootfs(spec).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("needs both uidMappings and gidMappings, or neither")));
  }
}

// In a joined user namespace the launcher makes the trees too, and they
// pass alone (the namespace has no maps to write).
TEST(PlanRootfsTest, AJoinedUserNamespaceTakesTheLaunchersTrees) {
  config::Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("mount");
  config::Namespace& user = *spec.mutable_linux()->add_namespaces();
  user.set_type("user");
  user.set_path("/proc/1/ns/user");
  EXPECT_FALSE(JoinsUserNamespaceWithLauncherTrees(spec));
  AddIdMapping(AddMount(spec, "/x", "none", "/tmp", {"bind", "idmap"}), 0, 1000, 10);
  AddMount(spec, "/y", "none", "/tmp", {"bind", "idmap"});
  absl::StatusOr<std::vector<PlannedMount>> trees = PlanLauncherTrees(spec);
  ASSERT_THAT(trees, IsOk());
  ASSERT_EQ(trees->size(), 2u);
  EXPECT_FALSE((*trees)[0].id_mapping->container_user_namespace);
  EXPECT_TRUE((*trees)[1].id_mapping->container_user_namespace);
  EXPECT_TRUE(JoinsUserNamespaceWithLauncherTrees(spec));
  // A namespace of its own gets its trees with its maps.
  user.clear_path();
  EXPECT_FALSE(JoinsUserNamespaceWithLauncherTrees(spec));
}

// A config with mount and user namespaces of its own and these mounts.
config::Spec UserNamespaceSpec() {
  config::Spec spec;
  for (const char* type : {"mount", "user"}) spec.mutable_linux()->add_namespaces()->set_type(type);
  return spec;
}

TEST(PlanRootfsTest, InAUserNamespaceTheLauncherPreparesTheIdMappedTrees) {
  config::Spec spec = UserNamespaceSpec();
  AddMount(spec, "/plain", "none", "/tmp", {"rbind"});
  AddIdMapping(AddMount(spec, "/a", "none", "/srv/a", {"bind", "ro"}), 1000, 100000, 1);
  AddMount(spec, "/tmp", "tmpfs", "tmpfs", {});
  AddMount(spec, "/c", "none", "/srv/c", {"rbind", "ridmap", "shared"});
  AddIdMapping(AddMount(spec, "/b", "none", "/srv/b", {"bind"}), 0, 200000, 10);
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(plan->mounts, SizeIs(5));
  EXPECT_FALSE(plan->mounts[0].tree_from_launcher);
  EXPECT_TRUE(plan->mounts[1].tree_from_launcher);
  EXPECT_FALSE(plan->mounts[2].tree_from_launcher);
  EXPECT_TRUE(plan->mounts[3].tree_from_launcher);
  EXPECT_TRUE(plan->mounts[4].tree_from_launcher);
  // The mount's own maps, as written; "ridmap" without maps takes the
  // container's namespace.
  EXPECT_EQ(plan->mounts[1].id_mapping->maps.uid_map, "1000 100000 1\n");
  EXPECT_FALSE(plan->mounts[1].id_mapping->container_user_namespace);
  EXPECT_TRUE(plan->mounts[3].id_mapping->container_user_namespace);
  EXPECT_TRUE(plan->mounts[3].id_mapping->recursive);
  EXPECT_EQ(plan->mounts[3].id_mapping->maps.uid_map, "");

  // The fds pass, and the init attaches them, in the order of the mounts.
  absl::StatusOr<std::vector<PlannedMount>> trees = PlanLauncherTrees(spec);
  ASSERT_THAT(trees, IsOk());
  EXPECT_THAT(*trees, ElementsAre(Field(&PlannedMount::destination, "/a"),
                                  Field(&PlannedMount::destination, "/c"),
                                  Field(&PlannedMount::destination, "/b")));
  // Each keeps what the launcher sets on the tree and the init after it.
  EXPECT_EQ((*trees)[0].flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_TRUE((*trees)[1].recursive);
  EXPECT_THAT((*trees)[1].propagation, ElementsAre(MS_SHARED));
}

TEST(PlanRootfsTest, WithoutItsOwnUserOrMountNamespaceTheLauncherPreparesNothing) {
  {
    // The init makes the mapping's namespace and the tree itself.
    config::Spec spec;
    spec.mutable_linux()->add_namespaces()->set_type("mount");
    AddIdMapping(AddMount(spec, "/a", "none", "/srv/a", {"bind"}), 1000, 0, 1);
    absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
    ASSERT_THAT(plan, IsOk());
    EXPECT_FALSE(plan->mounts[0].tree_from_launcher);
    EXPECT_THAT(PlanLauncherTrees(spec), IsOkAndHolds(IsEmpty()));
  }
  {
    // An init without a mount namespace of its own mounts nothing.
    config::Spec spec;
    spec.mutable_linux()->add_namespaces()->set_type("user");
    AddIdMapping(AddMount(spec, "/a", "none", "/srv/a", {"bind"}), 1000, 0, 1);
    EXPECT_THAT(PlanLauncherTrees(spec), IsOkAndHolds(IsEmpty()));
  }
  {
    config::Spec spec = UserNamespaceSpec();
    AddMount(spec, "/x", "none", "/tmp", {"bind", "idmap"});
    AddMount(spec, "/y", "none", "relative", {"bind"});
    EXPECT_THAT(PlanLauncherTrees(spec).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mounts[1]")));
  }
}

TEST(PlanRootfsTest, ProcAllowsProcfsAndTheLxcfsFiles) {
  config::Spec spec;
  AddMount(spec, "/proc", "proc", "proc", {});
  AddMount(spec, "/proc", "none", "/proc", {"rbind"});
  AddMount(spec, "/proc/cpuinfo", "none", "/var/lib/lxcfs/proc/cpuinfo", {"bind"});
  AddMount(spec, "/proc/sys/kernel/ns_last_pid", "none", "/x", {"bind"});
  AddMount(spec, "/procfs", "tmpfs", "tmpfs", {});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_FALSE(plan->mounts[0].source_must_be_procfs);
  EXPECT_TRUE(plan->mounts[1].source_must_be_procfs);
  EXPECT_FALSE(plan->mounts[2].source_must_be_procfs);
}

TEST(PlanRootfsTest, RootfsPropagation) {
  struct Case {
    const char* name;
    unsigned long before;
    unsigned long after;
  };
  const Case cases[] = {
      {"private", MS_PRIVATE, 0},
      {"rprivate", MS_PRIVATE | MS_REC, 0},
      {"shared", MS_SHARED, MS_SHARED},
      {"rshared", MS_SHARED | MS_REC, MS_SHARED | MS_REC},
      {"slave", MS_SLAVE, MS_SLAVE},
      {"rslave", MS_SLAVE | MS_REC, MS_SLAVE | MS_REC},
      {"unbindable", MS_UNBINDABLE, MS_UNBINDABLE},
      {"runbindable", MS_UNBINDABLE | MS_REC, MS_UNBINDABLE | MS_REC},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    config::Spec spec;
    spec.mutable_linux()->set_rootfs_propagation(c.name);
    absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
    ASSERT_THAT(plan, IsOk());
    EXPECT_EQ(plan->root_propagation, c.before);
    EXPECT_EQ(plan->propagation_after_pivot, c.after);
  }
  config::Spec spec;
  spec.mutable_linux()->set_rootfs_propagation("bind");
  EXPECT_THAT(PlanRootfs(spec).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"bind\"")));
}

TEST(PlanRootfsTest, ReadOnlyDevIsDeferredAndABindDevIsLeftAlone) {
  config::Spec spec;
  AddMount(spec, "/dev", "tmpfs", "tmpfs", {"ro", "nosuid"});
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->dev_read_only);
  EXPECT_EQ(plan->mounts[0].flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_TRUE(plan->setup_dev);

  config::Spec bound;
  AddMount(bound, "/dev/", "none", "/dev", {"rbind", "ro"});
  plan = PlanRootfs(bound);
  ASSERT_THAT(plan, IsOk());
  EXPECT_FALSE(plan->setup_dev);
  EXPECT_FALSE(plan->dev_read_only);
  EXPECT_THAT(plan->devices, IsEmpty());
  EXPECT_TRUE(plan->mounts[0].flags & MS_RDONLY);
}

TEST(PlanRootfsTest, CgroupNamespace) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  spec.mutable_linux()->add_namespaces()->set_type("cgroup");
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->mounts[6].cgroup_namespace);
}

TEST(PlanDevicesTest, ConfigDevicesFollowTheDefaultsAndReplaceThem) {
  config::Spec spec;
  config::Device& null = *spec.mutable_linux()->add_devices();
  null.set_path("/dev/null");
  null.set_type("c");
  null.set_major(1);
  null.set_minor(3);
  null.set_file_mode(0600);
  config::Device& disk = *spec.mutable_linux()->add_devices();
  disk.set_path("/dev/disks/../sda");
  disk.set_type("b");
  disk.set_major(8);
  disk.set_minor(0);
  disk.set_uid(1000);
  disk.set_gid(6);
  config::Device& fifo = *spec.mutable_linux()->add_devices();
  fifo.set_path("/dev/fifo");
  fifo.set_type("p");
  config::Device& unbuffered = *spec.mutable_linux()->add_devices();
  unbuffered.set_path("/dev/ttyS0");
  unbuffered.set_type("u");
  unbuffered.set_major(4);
  unbuffered.set_minor(64);

  absl::StatusOr<std::vector<DeviceNode>> devices = PlanDevices(spec);
  ASSERT_THAT(devices, IsOk());
  std::vector<std::string> paths;
  for (const DeviceNode& device : *devices) paths.push_back(device.path);
  EXPECT_THAT(paths,
              ElementsAre("/dev/random", "/dev/full", "/dev/tty", "/dev/zero", "/dev/urandom",
                          "/dev/null", "/dev/sda", "/dev/fifo", "/dev/ttyS0"));
  EXPECT_EQ((*devices)[0],
            (DeviceNode{.path = "/dev/random", .type = S_IFCHR, .major = 1, .minor = 8}));
  EXPECT_EQ((*devices)[2], (DeviceNode{.path = "/dev/tty", .type = S_IFCHR, .major = 5}));
  EXPECT_EQ(
      (*devices)[5],
      (DeviceNode{
          .path = "/dev/null", .type = S_IFCHR, .major = 1, .minor = 3, .permissions = 0600}));
  EXPECT_EQ((*devices)[6],
            (DeviceNode{.path = "/dev/sda", .type = S_IFBLK, .major = 8, .uid = 1000, .gid = 6}));
  EXPECT_EQ((*devices)[7], (DeviceNode{.path = "/dev/fifo", .type = S_IFIFO}));
  EXPECT_EQ((*devices)[8].type, static_cast<mode_t>(S_IFCHR));
}

TEST(PlanDevicesTest, UserNamespaceBindsDevicesButNotFifos) {
  config::Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("user");
  config::Device& fifo = *spec.mutable_linux()->add_devices();
  fifo.set_path("/dev/fifo");
  fifo.set_type("p");
  absl::StatusOr<std::vector<DeviceNode>> devices = PlanDevices(spec);
  ASSERT_THAT(devices, IsOk());
  EXPECT_THAT(*devices, Contains(Field(&DeviceNode::bind_from_host, true)));
  EXPECT_FALSE(devices->back().bind_from_host);
  for (size_t i = 0; i + 1 < devices->size(); ++i) EXPECT_TRUE((*devices)[i].bind_from_host);
}

TEST(PlanDevicesTest, BadDevices) {
  struct Case {
    const char* path;
    const char* type;
    bool numbers;
    const char* message;
  };
  const Case cases[] = {
      {"dev/x", "c", true, "not absolute"},
      {"/", "c", true, "is \"/\""},
      {"/dev/x", "q", true, "type must be"},
      {"/dev/x", "c", false, "major and minor"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    config::Spec spec;
    config::Device& device = *spec.mutable_linux()->add_devices();
    device.set_path(c.path);
    device.set_type(c.type);
    if (c.numbers) {
      device.set_major(1);
      device.set_minor(1);
    }
    EXPECT_THAT(PlanDevices(spec).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
  config::Spec spec;
  config::Device& negative = *spec.mutable_linux()->add_devices();
  negative.set_path("/dev/x");
  negative.set_type("b");
  negative.set_major(-1);
  negative.set_minor(0);
  EXPECT_THAT(PlanDevices(spec).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
  // The planner reports a bad device of the config too.
  EXPECT_THAT(PlanRootfs(spec).status(), StatusIs(absl::StatusCode::kInvalidArgument, _));
}

TEST(SupportedMountOptionsTest, AreAllTheKnownOnes) {
  const std::vector<std::string> supported = SupportedMountOptions();
  EXPECT_THAT(supported,
              AllOf(Contains("ro"), Contains("rbind"), Contains("rprivate"),
                    Contains("rnosymfollow"), Contains("defaults"), Contains("tmpcopyup"),
                    Contains("idmap"), Contains("ridmap")));
  EXPECT_EQ(supported, KnownMountOptionNames());
}

}  // namespace
}  // namespace hull::rootfs

namespace hull::rootfs {
namespace {

// The default (root) spec's sysfs mount: "ro", with a network namespace.
config::Spec WithUserNamespace(bool network_namespace) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  spec.mutable_linux()->add_namespaces()->set_type("user");
  if (!network_namespace) {
    auto* namespaces = spec.mutable_linux()->mutable_namespaces();
    for (int i = 0; i < namespaces->size(); ++i) {
      if (namespaces->Get(i).type() == "network") namespaces->DeleteSubrange(i, 1);
    }
  }
  return spec;
}

const PlannedMount& At(const RootfsPlan& plan, const std::string& destination) {
  for (const PlannedMount& mount : plan.mounts) {
    if (mount.destination == destination) return mount;
  }
  static const PlannedMount none;
  ADD_FAILURE() << "no mount at " << destination;
  return none;
}

TEST(SysfsFallbackTest, AUserNamespaceWithoutANetworkNamespaceBindsTheHostsSys) {
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(WithUserNamespace(/*network_namespace=*/false));
  ASSERT_THAT(plan, IsOk());
  const PlannedMount& sys = At(*plan, "/sys");
  EXPECT_EQ(sys.kind, MountKind::kBind);
  EXPECT_EQ(sys.source, "/sys");
  EXPECT_TRUE(sys.recursive);
  EXPECT_EQ(sys.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
  // Exactly what `hull spec --rootless` (as runc's) writes for /sys.
  absl::StatusOr<RootfsPlan> rootless = PlanRootfs(config::DefaultSpec(/*rootless=*/true));
  ASSERT_THAT(rootless, IsOk());
  const PlannedMount& written = At(*rootless, "/sys");
  EXPECT_EQ(sys.flags, written.flags);
  EXPECT_EQ(sys.recursive_attr_set, written.recursive_attr_set);
  EXPECT_EQ(sys.propagation, written.propagation);
}

TEST(SysfsFallbackTest, ANetworkNamespaceOfItsOwnMountsASysfs) {
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(WithUserNamespace(/*network_namespace=*/true));
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(At(*plan, "/sys").kind, MountKind::kFilesystem);
  EXPECT_EQ(At(*plan, "/sys").fstype, "sysfs");
}

TEST(SysfsFallbackTest, WithoutAUserNamespaceASysfsIsMounted) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  auto* namespaces = spec.mutable_linux()->mutable_namespaces();
  for (int i = 0; i < namespaces->size(); ++i) {
    if (namespaces->Get(i).type() == "network") namespaces->DeleteSubrange(i, 1);
  }
  absl::StatusOr<RootfsPlan> plan = PlanRootfs(spec);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(At(*plan, "/sys").fstype, "sysfs");
  for (const DeviceNode& device : plan->devices) EXPECT_FALSE(device.bind_from_host);
  // Unless the init runs in a user namespace already (root in rootless
  // podman's): then the host's /sys is bound and the devices too.
  plan = PlanRootfs(spec, PlanHost{.in_user_namespace = true});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(At(*plan, "/sys").kind, MountKind::kBind);
  for (const DeviceNode& device : plan->devices) EXPECT_TRUE(device.bind_from_host);
}

TEST(SysfsFallbackTest, AReadWriteSysfsThatCannotBeMountedIsRefusedSayingWhy) {
  config::Spec spec = WithUserNamespace(/*network_namespace=*/false);
  for (config::Mount& mount : *spec.mutable_mounts()) {
    if (mount.type() != "sysfs") continue;
    mount.clear_options();
    mount.add_options("nosuid");
  }
  EXPECT_THAT(PlanRootfs(spec),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("(\"/sys\")"), HasSubstr("a read-write sysfs cannot"),
                             HasSubstr("network namespace"))));
}

}  // namespace
}  // namespace hull::rootfs
