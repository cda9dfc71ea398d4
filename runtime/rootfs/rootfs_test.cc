#include "runtime/rootfs/rootfs.h"

#include <sys/mount.h>

#include <utility>
#include <vector>

#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/mock_mounter.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockMounter;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::StrictMock;

constexpr char kRootfs[] = "/run/bundle/rootfs";

auto Destination(const char* path) { return Field(&PlannedMount::destination, path); }
auto DevicePath(const char* path) { return Field(&DeviceNode::path, path); }

// Every operation of MountRootfs succeeds.
void SucceedAtEverything(NiceMock<MockMounter>& mounter) {
  ON_CALL(mounter, SetPropagation).WillByDefault(Return(absl::OkStatus()));
  ON_CALL(mounter, MakeParentMountPrivate).WillByDefault(Return(absl::OkStatus()));
  ON_CALL(mounter, BindOntoItself).WillByDefault(Return(absl::OkStatus()));
  ON_CALL(mounter, Mount).WillByDefault(Return(absl::OkStatus()));
  ON_CALL(mounter, CreateDevice).WillByDefault(Return(absl::OkStatus()));
  ON_CALL(mounter, CreateSymlink).WillByDefault(Return(absl::OkStatus()));
}

// The config's mounts in its order, then /dev's nodes (runc's default
// devices) and links.
TEST(MountRootfsTest, StepsInOrderForTheDefaultSpec) {
  const config::Spec spec = config::DefaultSpec(false);
  StrictMock<MockMounter> mounter;
  {
    InSequence in_order;
    EXPECT_CALL(mounter, SetPropagation("/", MS_REC | MS_PRIVATE))
        .WillOnce(Return(absl::OkStatus()));
    // rprivate left no mount shared: no parent mount to make private.
    EXPECT_CALL(mounter, BindOntoItself(kRootfs)).WillOnce(Return(absl::OkStatus()));
    for (const config::Mount& mount : spec.mounts()) {
      EXPECT_CALL(mounter, Mount(kRootfs, Field(&PlannedMount::destination, mount.destination())))
          .WillOnce(Return(absl::OkStatus()));
    }
    for (const char* device :
         {"/dev/null", "/dev/random", "/dev/full", "/dev/tty", "/dev/zero", "/dev/urandom"}) {
      EXPECT_CALL(mounter, CreateDevice(kRootfs, DevicePath(device)))
          .WillOnce(Return(absl::OkStatus()));
    }
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "pts/ptmx", "/dev/ptmx"))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "/proc/self/fd", "/dev/fd"))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "/proc/self/fd/0", "/dev/stdin"))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "/proc/self/fd/1", "/dev/stdout"))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "/proc/self/fd/2", "/dev/stderr"))
        .WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(mounter, Exists("/proc/kcore")).WillOnce(Return(true));
    EXPECT_CALL(mounter, CreateSymlink(kRootfs, "/proc/kcore", "/dev/core"))
        .WillOnce(Return(absl::OkStatus()));
  }
  EXPECT_THAT(MountRootfs(spec, kRootfs, mounter), IsOk());
}

TEST(MountRootfsTest, NoKcoreNoCoreLink) {
  NiceMock<MockMounter> mounter;
  SucceedAtEverything(mounter);
  EXPECT_CALL(mounter, Exists("/proc/kcore")).WillOnce(Return(false));
  // ptmx, fd, stdin, stdout, stderr; no core.
  EXPECT_CALL(mounter, CreateSymlink(kRootfs, _, _)).Times(5);
  EXPECT_CALL(mounter, CreateSymlink(_, _, "/dev/core")).Times(0);
  EXPECT_THAT(MountRootfs(config::DefaultSpec(false), kRootfs, mounter), IsOk());
}

TEST(MountRootfsTest, BindMountedDevGetsNoNodes) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->set_rootfs_propagation("rslave");
  config::Mount& dev = *spec.add_mounts();
  dev.set_destination("/dev");
  dev.set_source("/dev");
  dev.add_options("rbind");
  InSequence in_order;
  EXPECT_CALL(mounter, SetPropagation("/", MS_REC | MS_SLAVE)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, BindOntoItself(kRootfs)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, Mount(kRootfs, Destination("/dev"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(MountRootfs(spec, kRootfs, mounter), IsOk());
}

TEST(MountRootfsTest, AFailedMountStopsAndDetachesTheRootfs) {
  StrictMock<MockMounter> mounter;
  InSequence in_order;
  EXPECT_CALL(mounter, SetPropagation).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, BindOntoItself).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, Mount(kRootfs, Destination("/proc"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, Mount(kRootfs, Destination("/dev")))
      .WillOnce(Return(absl::PermissionDeniedError("mount \"tmpfs\" on \"/dev\": denied")));
  EXPECT_CALL(mounter, Detach(kRootfs)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(MountRootfs(config::DefaultSpec(false), kRootfs, mounter),
              StatusIs(absl::StatusCode::kPermissionDenied, "mount \"tmpfs\" on \"/dev\": denied"));
}

TEST(MountRootfsTest, AFailedDetachIsReportedWithTheCause) {
  StrictMock<MockMounter> mounter;
  EXPECT_CALL(mounter, SetPropagation).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, BindOntoItself).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, Mount).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, CreateDevice).WillOnce(Return(absl::InternalError("mknod failed")));
  EXPECT_CALL(mounter, Detach(kRootfs)).WillOnce(Return(absl::InternalError("umount failed")));
  config::Spec spec;
  config::Mount& proc = *spec.add_mounts();
  proc.set_destination("/proc");
  proc.set_type("proc");
  EXPECT_THAT(
      MountRootfs(spec, kRootfs, mounter),
      StatusIs(absl::StatusCode::kInternal, "mknod failed (and undoing it: umount failed)"));
}

TEST(MountRootfsTest, NothingIsTouchedForABadConfigOrRootfs) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.add_mounts()->set_destination("/x");  // no type
  EXPECT_THAT(MountRootfs(spec, kRootfs, mounter),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mounts[0]")));
  EXPECT_THAT(MountRootfs(config::DefaultSpec(false), "rootfs", mounter),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an absolute path")));
}

TEST(MountRootfsTest, AFailureBeforeTheBindDetachesNothing) {
  StrictMock<MockMounter> mounter;
  config::Spec spec = config::DefaultSpec(false);
  spec.mutable_linux()->set_rootfs_propagation("shared");
  EXPECT_CALL(mounter, SetPropagation).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, MakeParentMountPrivate)
      .WillOnce(Return(absl::NotFoundError("no parent mount")));
  EXPECT_THAT(MountRootfs(spec, kRootfs, mounter),
              StatusIs(absl::StatusCode::kNotFound, "no parent mount"));
}

// Only a "/" that may still hold shared mounts has its rootfs's parent mount
// made private: after a recursive private, slave or unbindable one, none is.
TEST(MountRootfsTest, TheParentMountIsMadePrivateWhereItMayBeShared) {
  for (const auto& [propagation, looked_at] :
       std::vector<std::pair<const char*, bool>>{{"", false},
                                                 {"rprivate", false},
                                                 {"rslave", false},
                                                 {"runbindable", false},
                                                 {"private", true},
                                                 {"slave", true},
                                                 {"shared", true},
                                                 {"rshared", true}}) {
    NiceMock<MockMounter> mounter;
    SucceedAtEverything(mounter);
    EXPECT_CALL(mounter, MakeParentMountPrivate(kRootfs))
        .Times(looked_at ? 1 : 0)
        .WillRepeatedly(Return(absl::OkStatus()));
    config::Spec spec = config::DefaultSpec(false);
    spec.mutable_linux()->set_rootfs_propagation(propagation);
    EXPECT_THAT(MountRootfs(spec, kRootfs, mounter), IsOk()) << propagation;
  }
}

TEST(PivotRootTest, PivotsThenAppliesASharedPropagation) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->set_rootfs_propagation("rshared");
  InSequence in_order;
  EXPECT_CALL(mounter, PivotRoot(kRootfs)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, SetPropagation("/", MS_REC | MS_SHARED)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(PivotRoot(spec, kRootfs, /*no_pivot=*/false, mounter), IsOk());
}

TEST(PivotRootTest, NoPivotMovesTheRootAndPrivateNeedsNothingMore) {
  StrictMock<MockMounter> mounter;
  EXPECT_CALL(mounter, MoveRoot(kRootfs)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(PivotRoot(config::DefaultSpec(false), kRootfs, /*no_pivot=*/true, mounter), IsOk());
}

TEST(PivotRootTest, AFailedPivotIsReturned) {
  StrictMock<MockMounter> mounter;
  config::Spec spec;
  spec.mutable_linux()->set_rootfs_propagation("shared");
  EXPECT_CALL(mounter, PivotRoot(kRootfs))
      .WillOnce(Return(absl::InvalidArgumentError("pivot_root: Invalid argument")));
  EXPECT_THAT(PivotRoot(spec, kRootfs, false, mounter),
              StatusIs(absl::StatusCode::kInvalidArgument, "pivot_root: Invalid argument"));
}

TEST(FinishRootfsTest, DevThenRootReadOnly) {
  StrictMock<MockMounter> mounter;
  config::Spec spec = config::DefaultSpec(false);
  spec.mutable_mounts(1)->add_options("ro");  // /dev
  InSequence in_order;
  EXPECT_CALL(mounter, RemountReadOnly("/", "/dev")).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(mounter, RemountReadOnly("/", "/")).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(FinishRootfs(spec, mounter), IsOk());
}

TEST(FinishRootfsTest, NothingWhenNothingIsReadOnly) {
  StrictMock<MockMounter> mounter;
  config::Spec spec = config::DefaultSpec(false);
  spec.mutable_root()->set_readonly(false);
  EXPECT_THAT(FinishRootfs(spec, mounter), IsOk());
}

}  // namespace
}  // namespace hull::rootfs
