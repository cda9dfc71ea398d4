#include "runtime/rootfs/mount_options.h"

#include <sys/mount.h>

#include <algorithm>
#include <string>
#include <vector>

#include "google/protobuf/repeated_field.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::rootfs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ParseMountOptions of `options`, as a config's mount holds them.
MountOptions Parse(const std::vector<std::string>& options) {
  return ParseMountOptions(
      google::protobuf::RepeatedPtrField<std::string>(options.begin(), options.end()));
}

struct FlagCase {
  const char* option;
  bool clear;
  unsigned long flag;
};

// runc's mountFlags table (libcontainer/specconv/spec_linux.go), whole.
constexpr FlagCase kRuncFlags[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

TEST(ParseMountOptionsTest, EveryFlagOfRuncsTable) {
  for (const FlagCase& c : kRuncFlags) {
    SCOPED_TRACE(c.option);
    const MountOptions options = Parse({c.option});
    EXPECT_EQ(options.flags, c.clear ? 0 : c.flag);
    EXPECT_EQ(options.cleared_flags, c.clear ? c.flag : 0);
    EXPECT_THAT(options.data, IsEmpty());
    EXPECT_THAT(options.propagation, IsEmpty());
    EXPECT_EQ(options.recursive_attr_set, 0u);
    EXPECT_EQ(options.recursive_attr_clr, 0u);
  }
}

TEST(ParseMountOptionsTest, TheLastOfAFlagAndItsNegationWins) {
  MountOptions options = Parse({"ro", "rw"});
  EXPECT_EQ(options.flags, 0u);
  EXPECT_EQ(options.cleared_flags, static_cast<unsigned long>(MS_RDONLY));
  options = Parse({"rw", "ro"});
  EXPECT_EQ(options.flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(options.cleared_flags, 0u);
  options = Parse({"nosuid", "suid", "nodev", "noexec", "exec"});
  EXPECT_EQ(options.flags, static_cast<unsigned long>(MS_NODEV));
  EXPECT_EQ(options.cleared_flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC));
}

TEST(ParseMountOptionsTest, DefaultSpecMountsMatchRunc) {
  MountOptions dev = Parse({"nosuid", "strictatime", "mode=755", "size=65536k"});
  EXPECT_EQ(dev.flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(dev.data, "mode=755,size=65536k");

  MountOptions pts =
      Parse({"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  EXPECT_EQ(pts.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC));
  EXPECT_EQ(pts.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");

  MountOptions cgroup = Parse({"nosuid", "noexec", "nodev", "relatime", "ro"});
  EXPECT_EQ(cgroup.flags,
            static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY));
  EXPECT_THAT(cgroup.data, IsEmpty());

  MountOptions sys = Parse({"rbind", "nosuid", "noexec", "nodev", "ro"});
  EXPECT_EQ(sys.flags, static_cast<unsigned long>(MS_BIND | MS_REC | MS_NOSUID | MS_NOEXEC |
                                                  MS_NODEV | MS_RDONLY));
}

TEST(ParseMountOptionsTest, PropagationInOrder) {
  const MountOptions options = Parse(
      {"private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"});
  EXPECT_THAT(options.propagation,
              ElementsAre(MS_PRIVATE, MS_PRIVATE | MS_REC, MS_SLAVE, MS_SLAVE | MS_REC, MS_SHARED,
                          MS_SHARED | MS_REC, MS_UNBINDABLE, MS_UNBINDABLE | MS_REC));
  EXPECT_EQ(options.flags, 0u);
}

struct AttrCase {
  const char* option;
  bool clear;
  uint64_t attr;
};

// runc's recAttrFlags table, less the access-time modes (below).
constexpr AttrCase kRuncRecursiveAttrs[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

TEST(ParseMountOptionsTest, EveryRecursiveAttribute) {
  for (const AttrCase& c : kRuncRecursiveAttrs) {
    SCOPED_TRACE(c.option);
    const MountOptions options = Parse({c.option});
    EXPECT_EQ(options.recursive_attr_set, c.clear ? 0 : c.attr);
    EXPECT_EQ(options.recursive_attr_clr, c.clear ? c.attr : 0);
    EXPECT_EQ(options.flags, 0u);
    EXPECT_THAT(options.data, IsEmpty());
  }
  const MountOptions both = Parse({"rro", "rnosuid", "rrw"});
  EXPECT_EQ(both.recursive_attr_set, MOUNT_ATTR_NOSUID);
  EXPECT_EQ(both.recursive_attr_clr, MOUNT_ATTR_RDONLY);
}

TEST(ParseMountOptionsTest, RecursiveAccessTimeIsAModeTheKernelAccepts) {
  struct Case {
    std::vector<std::string> options;
    uint64_t set;
  };
  const Case cases[] = {
      {{"rnoatime"}, MOUNT_ATTR_NOATIME},
      {{"rstrictatime"}, MOUNT_ATTR_STRICTATIME},
      {{"rrelatime"}, MOUNT_ATTR_RELATIME},
      {{"rnoatime", "rstrictatime"}, MOUNT_ATTR_STRICTATIME},
      {{"rnoatime", "ratime"}, MOUNT_ATTR_RELATIME},
      {{"rstrictatime", "rnostrictatime"}, MOUNT_ATTR_RELATIME},
      // Negating a mode not in force leaves the one in force.
      {{"rnoatime", "rnostrictatime"}, MOUNT_ATTR_NOATIME},
      {{"rnorelatime"}, MOUNT_ATTR_RELATIME},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.options));
    const MountOptions options = Parse(c.options);
    EXPECT_EQ(options.recursive_attr_set, c.set);
    // mount_setattr(2) wants the whole MOUNT_ATTR__ATIME cleared.
    EXPECT_EQ(options.recursive_attr_clr, MOUNT_ATTR__ATIME);
  }
}

TEST(ParseMountOptionsTest, ExtensionsAndData) {
  EXPECT_TRUE(Parse({"tmpcopyup"}).tmpcopyup);
  EXPECT_TRUE(Parse({"idmap"}).idmap);
  EXPECT_TRUE(Parse({"ridmap"}).idmap);
  EXPECT_FALSE(Parse({"idmap"}).recursive_idmap);
  EXPECT_TRUE(Parse({"ridmap"}).recursive_idmap);
  EXPECT_TRUE(Parse({"ridmap", "idmap"}).recursive_idmap);
  const MountOptions options =
      Parse({"mode=1777", "defaults", "size=64k", "acl", "ro", "context=\"a,b\""});
  EXPECT_EQ(options.data, "mode=1777,size=64k,acl,context=\"a,b\"");
  EXPECT_EQ(options.flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_THAT(Parse({}).data, IsEmpty());
}

TEST(PropagationNameTest, RoundTrips) {
  for (const char* name : {"private", "rprivate", "slave", "rslave", "shared", "rshared",
                           "unbindable", "runbindable"}) {
    EXPECT_EQ(PropagationName(PropagationFromName(name)), name);
  }
  EXPECT_EQ(PropagationFromName("bogus"), 0u);
  EXPECT_EQ(PropagationName(MS_BIND), "");
}

TEST(MountAttributesFromFlagsTest, PerMountFlags) {
  MountAttributes attributes = MountAttributesFromFlags(
      MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_NOSYMFOLLOW, 0);
  EXPECT_EQ(attributes.set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
  EXPECT_EQ(attributes.clr, 0u);

  attributes = MountAttributesFromFlags(0, MS_RDONLY | MS_NOSUID);
  EXPECT_EQ(attributes.set, 0u);
  EXPECT_EQ(attributes.clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);

  // Superblock flags have no per-mount form.
  attributes = MountAttributesFromFlags(MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK, 0);
  EXPECT_EQ(attributes.set, 0u);
  EXPECT_EQ(attributes.clr, 0u);
}

TEST(MountAttributesFromFlagsTest, AccessTimeFollowsMountTwoPrecedence) {
  EXPECT_EQ(MountAttributesFromFlags(MS_NOATIME, 0).set, MOUNT_ATTR_NOATIME);
  EXPECT_EQ(MountAttributesFromFlags(MS_STRICTATIME | MS_NOATIME, 0).set, MOUNT_ATTR_STRICTATIME);
  EXPECT_EQ(MountAttributesFromFlags(MS_RELATIME, 0).set, MOUNT_ATTR_RELATIME);
  EXPECT_EQ(MountAttributesFromFlags(MS_NOATIME, 0).clr, MOUNT_ATTR__ATIME);
  // "atime" returns to relatime; no atime option leaves the mode alone.
  EXPECT_EQ(MountAttributesFromFlags(0, MS_NOATIME).set, MOUNT_ATTR_RELATIME);
  EXPECT_EQ(MountAttributesFromFlags(0, MS_NOATIME).clr, MOUNT_ATTR__ATIME);
  EXPECT_EQ(MountAttributesFromFlags(MS_NOSUID, 0).clr, 0u);
}

TEST(KnownMountOptionNamesTest, AreRuncsFeaturesListSortedPlusIdmap) {
  // `runc features` (1.1.5) lists these 63; Hull also knows idmap and ridmap.
  const std::vector<std::string> runcs = {
      "acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
      "iversion", "lazytime", "loud", "mand", "noacl", "noatime", "nodev", "nodiratime",
      "noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
      "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
      "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime",
      "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared",
      "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared", "silent",
      "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable"};
  std::vector<std::string> expected;
  for (const std::string& name : runcs) {
    // acl and noacl are filesystem data to Hull (runc maps them to MS_POSIXACL).
    if (name != "acl" && name != "noacl") expected.push_back(name);
  }
  expected.push_back("idmap");
  expected.push_back("ridmap");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(KnownMountOptionNames(), expected);
}

}  // namespace
}  // namespace hull::rootfs
