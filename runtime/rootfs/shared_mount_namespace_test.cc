#include "runtime/rootfs/shared_mount_namespace.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

config::Spec WithMountNamespace(const char* path) {
  config::Spec spec;
  config::Namespace& ns = *spec.mutable_linux()->add_namespaces();
  ns.set_type("mount");
  ns.set_path(path);
  return spec;
}

TEST(SharedMountNamespaceTest, OnlyANewMountNamespaceIsTheContainersOwn) {
  EXPECT_TRUE(HasOwnMountNamespace(WithMountNamespace("")));
  EXPECT_FALSE(HasOwnMountNamespace(WithMountNamespace("/proc/1/ns/mnt")));
  EXPECT_FALSE(HasOwnMountNamespace(config::Spec()));
}

TEST(SharedMountNamespaceTest, ItsOwnMountNamespaceTakesAnything) {
  config::Spec spec = WithMountNamespace("");
  spec.add_mounts()->set_destination("/proc");
  spec.mutable_process()->set_terminal(true);
  EXPECT_THAT(CheckSharedMountNamespace(spec), IsOk());
}

TEST(SharedMountNamespaceTest, WhatNeedsAMountIsRefusedWithoutOne) {
  EXPECT_THAT(CheckSharedMountNamespace(config::Spec()), IsOk());
  EXPECT_THAT(CheckSharedMountNamespace(WithMountNamespace("/proc/1/ns/mnt")), IsOk());
  const struct {
    void (*set)(config::Spec&);
    const char* field;
  } cases[] = {
      {[](config::Spec& s) { s.add_mounts()->set_destination("/proc"); }, "mounts"},
      {[](config::Spec& s) { s.mutable_root()->set_readonly(true); }, "root.readonly"},
      {[](config::Spec& s) { s.mutable_linux()->set_rootfs_propagation("slave"); },
       "linux.rootfsPropagation"},
      {[](config::Spec& s) { s.mutable_linux()->add_devices()->set_path("/dev/fuse"); },
       "linux.devices"},
      {[](config::Spec& s) { s.mutable_linux()->add_masked_paths("/proc/kcore"); },
       "linux.maskedPaths"},
      {[](config::Spec& s) { s.mutable_linux()->add_readonly_paths("/proc/sys"); },
       "linux.readonlyPaths"},
      {[](config::Spec& s) { (*s.mutable_linux()->mutable_sysctl())["net.ipv4.ip_forward"] = "1"; },
       "linux.sysctl"},
      {[](config::Spec& s) { s.mutable_process()->set_terminal(true); }, "process.terminal"},
  };
  for (const auto& c : cases) {
    for (const char* path : {"", "/proc/1/ns/mnt"}) {
      config::Spec spec = *path == '\0' ? config::Spec() : WithMountNamespace(path);
      c.set(spec);
      EXPECT_THAT(CheckSharedMountNamespace(spec),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr(absl::StrCat(c.field, " needs a mount namespace"))))
          << c.field << " " << path;
    }
  }
}

}  // namespace
}  // namespace hull::rootfs
