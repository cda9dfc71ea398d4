// Bad bundles: `create` fails with a clear error and leaves nothing behind
// (no process, no mount on the host, no state), and nothing it does escapes
// the rootfs through a symlink the image planted.
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class BadBundleTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    mounts_before_ = *mounts;
  }

  // `hull COMMAND --bundle B ID` fails, saying `error`, and leaves nothing.
  void ExpectFailureLeavingNothing(const std::string& command, const Bundle& bundle,
                                   const std::string& error) {
    const std::string id = NewId();
    HullResult result = Hull({command, "--bundle", bundle.path(), id});
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, HasSubstr(error)) << result;
    ExpectNothingLeft(bundle);
  }

  // No process, no host mount, no state from this test's hull commands.
  void ExpectNothingLeft(const Bundle& bundle) {
    EXPECT_THAT(DirectoryEntries(root()), IsEmpty()) << "state left under " << root();
    EXPECT_THAT(LeftoverProcesses({bundle.path(), bundle.rootfs()}, root()), IsEmpty());
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    std::vector<std::string> added;
    std::set_difference(mounts->begin(), mounts->end(), mounts_before_.begin(),
                        mounts_before_.end(), std::back_inserter(added));
    EXPECT_THAT(added, IsEmpty()) << "new mounts on the host";
  }

  // A bundle for `spec`; a failure here is the test's.
  Bundle* NewBundle(const config::Spec& spec) {
    absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
    EXPECT_TRUE(bundle.ok()) << bundle.status();
    return bundle.ok() ? *bundle : nullptr;
  }

 private:
  std::set<std::string> mounts_before_;
};

TEST_F(BadBundleTest, MissingRootfs) {
  config::Spec spec = ContainerSpec({"true"});
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  spec.mutable_root()->set_path("missing-rootfs");
  ASSERT_TRUE(bundle->WriteConfig(spec).ok());
  ExpectFailureLeavingNothing(
      "create", *bundle,
      absl::StrCat("rootfs \"", bundle->path(), "/missing-rootfs\": No such file or directory"));
}

TEST_F(BadBundleTest, CwdThatCannotBeADirectory) {
  config::Spec spec = ContainerSpec({"true"});
  spec.mutable_process()->set_cwd("/etc/passwd/sub");
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("create", *bundle, "/etc/passwd/sub");
}

TEST_F(BadBundleTest, MountSourceThatDoesNotExist) {
  config::Spec spec = ContainerSpec({"true"});
  const std::string source = absl::StrCat(getenv("TEST_TMPDIR"), "/no-such-source");
  AddMount(spec, "/mnt", "bind", source, {"rbind"});
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("create", *bundle, source);
}

// The image's /mnt/evil is an absolute symlink to /etc/passwd: whatever Hull
// does with the mount, it must not reach the host's file.
TEST_F(BadBundleTest, MountDestinationSymlinkedToTheHostsPasswd) {
  absl::StatusOr<std::string> source_dir = MakeTempDir("evil-source");
  ASSERT_TRUE(source_dir.ok()) << source_dir.status();
  const std::string source = *source_dir + "/payload";
  ASSERT_TRUE(WriteFile(source, "hacked:x:0:0::/:/bin/sh\n").ok());
  struct stat before;
  ASSERT_EQ(stat("/etc/passwd", &before), 0);
  absl::StatusOr<std::string> passwd_before = ReadFile("/etc/passwd");
  ASSERT_TRUE(passwd_before.ok());

  config::Spec spec = ContainerSpec({"true"});
  AddMount(spec, "/mnt/evil", "bind", source, {"bind", "rw"});
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ASSERT_EQ(mkdir((bundle->rootfs() + "/mnt").c_str(), 0755), 0);
  ASSERT_EQ(symlink("/etc/passwd", (bundle->rootfs() + "/mnt/evil").c_str()), 0);

  const std::string id = NewId();
  HullResult result = Hull({"create", "--bundle", bundle->path(), id});
  // Created or not (the symlink resolves inside the rootfs), the host's
  // passwd is the same file with the same contents, and no mount covers it.
  struct stat after;
  ASSERT_EQ(stat("/etc/passwd", &after), 0);
  EXPECT_EQ(after.st_dev, before.st_dev);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(ReadFile("/etc/passwd").value_or("?"), *passwd_before) << result;
  if (result.exit_code == 0) {
    ASSERT_EQ(Hull({"delete", "-f", id}).exit_code, 0);
    ReapExitedContainers();  // the killed init, reparented to the test
  }
  ExpectNothingLeft(*bundle);
}

// The image's /evil is an absolute symlink to a host directory: destinations
// below it are created inside the rootfs, never in the host's directory.
TEST_F(BadBundleTest, MountDestinationsBelowASymlinkToAHostDirectory) {
  absl::StatusOr<std::string> host_dir = MakeTempDir("escape-target");
  ASSERT_TRUE(host_dir.ok()) << host_dir.status();
  absl::StatusOr<std::string> source_dir = MakeTempDir("file-source");
  ASSERT_TRUE(source_dir.ok()) << source_dir.status();
  ASSERT_TRUE(WriteFile(*source_dir + "/file", "payload\n").ok());

  config::Spec spec = ContainerSpec({"true"});
  AddMount(spec, "/evil/dir", "tmpfs", "tmpfs", {});
  AddMount(spec, "/evil/file", "bind", *source_dir + "/file", {"bind"});
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ASSERT_EQ(symlink(host_dir->c_str(), (bundle->rootfs() + "/evil").c_str()), 0);

  const std::string id = NewId();
  HullResult result = Hull({"create", "--bundle", bundle->path(), id});
  EXPECT_THAT(DirectoryEntries(*host_dir), IsEmpty())
      << "hull wrote through the symlink: " << result;
  if (result.exit_code == 0) {
    ASSERT_EQ(Hull({"delete", "-f", id}).exit_code, 0);
    ReapExitedContainers();  // the killed init, reparented to the test
  }
  ExpectNothingLeft(*bundle);
}

// A uid with no passwd entry is fine (runc runs it); one the kernel cannot
// represent is not.
TEST_F(BadBundleTest, UserThatCannotBeResolved) {
  config::Spec spec = ContainerSpec({"true"});
  spec.mutable_process()->mutable_user()->set_uid(4294967295u);
  spec.mutable_process()->mutable_user()->set_gid(4294967295u);
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("create", *bundle, "uids and gids must be in range 0-2147483647");
}

TEST_F(BadBundleTest, PasswdThatCannotBeRead) {
  config::Spec spec = ContainerSpec({"true"});
  spec.mutable_process()->mutable_user()->set_uid(1000);
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ASSERT_EQ(unlink((bundle->rootfs() + "/etc/passwd").c_str()), 0);
  ASSERT_EQ(mkdir((bundle->rootfs() + "/etc/passwd").c_str(), 0755), 0);
  ExpectFailureLeavingNothing("create", *bundle, "/etc/passwd");
}

// The user namespace maps uids 0-999 only: uid 5000 has no host uid.
TEST_F(BadBundleTest, UserOutsideTheUserNamespacesMapping) {
  config::Spec spec = ContainerSpec({"true"});
  UseUserNamespace(spec, /*host_id=*/100000, /*size=*/1000);
  spec.mutable_process()->mutable_user()->set_uid(5000);
  spec.mutable_process()->mutable_user()->set_gid(5000);
  absl::StatusOr<Bundle*> bundle = MakeBundleReachableByAnyUser(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ExpectFailureLeavingNothing("create", **bundle, "5000");
}

TEST_F(BadBundleTest, MissingExecutable) {
  Bundle* bundle = NewBundle(ContainerSpec({"nope"}));
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("create", *bundle,
                              "exec: \"nope\": executable file not found in $PATH");
}

TEST_F(BadBundleTest, MissingExecutableWithRun) {
  Bundle* bundle = NewBundle(ContainerSpec({"nope"}));
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("run", *bundle, "exec: \"nope\": executable file not found in $PATH");
}

TEST_F(BadBundleTest, MalformedConfig) {
  Bundle* bundle = NewBundle(ContainerSpec({"true"}));
  ASSERT_NE(bundle, nullptr);
  ASSERT_TRUE(bundle->WriteConfigText("{\"ociVersion\": \"1.2.0\", \"process\": ").ok());
  const std::string id = NewId();
  HullResult result = Hull({"create", "--bundle", bundle->path(), id});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr(bundle->config_path())) << result;
  ExpectNothingLeft(*bundle);
}

// linux.intelRdt on a host without resctrl (as this one): refused by name.
TEST_F(BadBundleTest, IntelRdtWithoutResctrl) {
  if (access("/sys/fs/resctrl/schemata", F_OK) == 0) {
    GTEST_FAIL() << "cannot run on this host: resctrl is mounted here";
  }
  config::Spec spec = ContainerSpec({"true"});
  spec.mutable_linux()->mutable_intel_rdt()->set_l3_cache_schema("L3:0=f");
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing(
      "create", *bundle,
      "linux.intelRdt: Intel RDT needs the resctrl filesystem, which is not mounted at "
      "/sys/fs/resctrl");
}

// A user namespace to join that is not one: the intermediate process that
// joins it before the init's clone fails, and nothing is left.
TEST_F(BadBundleTest, UserNamespaceToJoinThatIsNotOne) {
  config::Spec spec = ContainerSpec({"true"});
  SetNamespace(spec, "user", "/proc/self/ns/net");
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing("run", *bundle, "/proc/self/ns/net");
}

// A unit property for a container whose cgroup is no systemd unit (the
// cgroupfs driver): refused by name, not ignored.
TEST_F(BadBundleTest, SystemdPropertyAnnotationWithoutTheSystemdDriver) {
  config::Spec spec = ContainerSpec({"true"});
  (*spec.mutable_annotations())["org.systemd.property.TimeoutStopUSec"] = "uint64 5000000";
  Bundle* bundle = NewBundle(spec);
  ASSERT_NE(bundle, nullptr);
  ExpectFailureLeavingNothing(
      "run", *bundle,
      "invalid configuration: annotation \"org.systemd.property.TimeoutStopUSec\" sets a "
      "property of the container's systemd unit, which only the systemd cgroup driver "
      "(--systemd-cgroup) makes");
}

// A virtual machine runtime's section (config-vm.md), as a client writes it
// into config.json: refused by name, not ignored.
TEST_F(BadBundleTest, AVirtualMachineSection) {
  Bundle* bundle = NewBundle(ContainerSpec({"true"}));
  ASSERT_NE(bundle, nullptr);
  absl::StatusOr<std::string> json = ReadFile(bundle->config_path());
  ASSERT_TRUE(json.ok()) << json.status();
  const size_t end = json->rfind('}');
  ASSERT_NE(end, std::string::npos);
  json->insert(end, ", \"vm\": {\"hypervisor\": {\"path\": \"/usr/bin/qemu\"}}");
  ASSERT_TRUE(bundle->WriteConfigText(*json).ok());
  ExpectFailureLeavingNothing(
      "run", *bundle,
      "vm: for a runtime that runs the container in a virtual machine: Hull runs it in "
      "namespaces of the host's kernel");
}

}  // namespace
}  // namespace hull::testing
