#include "runtime/criu/requests.h"

#include <sched.h>

#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/criu/checkpoint_options.h"
#include "runtime/criu/rpc.pb.h"
#include "testing/status_matchers.h"

namespace hull::runtime::criu {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

config::Spec Spec() {
  config::Spec spec;
  spec.mutable_root()->set_path("rootfs");
  config::Mount& proc = *spec.add_mounts();
  proc.set_destination("/proc");
  proc.set_type("proc");
  proc.set_source("proc");
  config::Mount& data = *spec.add_mounts();
  data.set_destination("/data");
  data.set_type("bind");
  data.set_source("shared");  // relative to the bundle
  data.add_options("rbind");
  return spec;
}

std::vector<std::string> ExternalMounts(const criu_opts& opts) {
  std::vector<std::string> mounts;
  for (const ext_mount_map& mount : opts.ext_mnt()) mounts.push_back(mount.key() + "=" + mount.val());
  return mounts;
}

TEST(DumpRequestTest, CarriesTheFlagsAndTheContainer) {
  const config::Spec spec = Spec();
  CheckpointOptions options;
  options.tcp_established = true;
  options.shell_job = true;
  options.file_locks = true;
  options.leave_running = true;
  options.auto_dedup = true;
  options.manage_cgroups_mode = "full";
  options.page_server = "10.0.0.2:2000";
  absl::StatusOr<criu_req> request = DumpRequest(
      {.spec = &spec, .bundle = "/b", .pid = 1234, .images_dir_fd = 5, .work_dir_fd = 6,
       .freeze_cgroup = "/sys/fs/cgroup/c1", .masked_files = {"/proc/kcore"}},
      options);
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_EQ(request->type(), DUMP);
  const criu_opts& opts = request->opts();
  EXPECT_EQ(opts.pid(), 1234);
  EXPECT_EQ(opts.images_dir_fd(), 5);
  EXPECT_EQ(opts.work_dir_fd(), 6);
  EXPECT_EQ(opts.log_file(), "dump.log");
  EXPECT_EQ(opts.root(), "/b/rootfs");
  EXPECT_TRUE(opts.tcp_established());
  EXPECT_TRUE(opts.shell_job());
  EXPECT_TRUE(opts.file_locks());
  EXPECT_TRUE(opts.leave_running());
  EXPECT_TRUE(opts.auto_dedup());
  EXPECT_FALSE(opts.ext_unix_sk());
  EXPECT_FALSE(opts.track_mem());
  EXPECT_TRUE(opts.manage_cgroups());
  EXPECT_TRUE(opts.notify_scripts());
  EXPECT_EQ(opts.manage_cgroups_mode(), FULL);
  EXPECT_EQ(opts.ps().address(), "10.0.0.2");
  EXPECT_EQ(opts.ps().port(), 2000);
  EXPECT_EQ(opts.freeze_cgroup(), "/sys/fs/cgroup/c1");
  // Binds are external under their destination; masked files are /dev/null.
  EXPECT_THAT(ExternalMounts(opts), ElementsAre("/data=/data", "/proc/kcore=/dev/null"));
  EXPECT_FALSE(opts.has_orphan_pts_master());
}

TEST(DumpRequestTest, TheStatusFdIsNotCriusToWrite) {
  const config::Spec spec = Spec();
  CheckpointOptions options;
  options.lazy_pages = true;
  options.status_fd = 9;  // the caller's, written at CRIU's "status-ready"
  absl::StatusOr<criu_req> request =
      DumpRequest({.spec = &spec, .bundle = "/b", .pid = 1234, .images_dir_fd = 5}, options);
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_TRUE(request->opts().lazy_pages());
  EXPECT_FALSE(request->opts().has_status_fd());
}

TEST(DumpRequestTest, APreDumpTracksMemoryAndNeverLeavesRunningByFlag) {
  const config::Spec spec = Spec();
  CheckpointOptions options;
  options.pre_dump = true;
  options.leave_running = true;
  absl::StatusOr<criu_req> request =
      DumpRequest({.spec = &spec, .bundle = "/b", .pid = 1, .images_dir_fd = 3}, options);
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_EQ(request->type(), PRE_DUMP);
  EXPECT_TRUE(request->opts().track_mem());
  EXPECT_FALSE(request->opts().leave_running());
  EXPECT_FALSE(request->opts().has_work_dir_fd());
}

TEST(DumpRequestTest, ADumpOnAParentTracksMemoryAndNamesIt) {
  const config::Spec spec = Spec();
  CheckpointOptions options;
  options.parent_path = "../pre";
  absl::StatusOr<criu_req> request =
      DumpRequest({.spec = &spec, .bundle = "/b", .pid = 1, .images_dir_fd = 3}, options);
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_EQ(request->type(), DUMP);
  EXPECT_EQ(request->opts().parent_img(), "../pre");
  EXPECT_TRUE(request->opts().track_mem());
}

TEST(DumpRequestTest, JoinedNetworkAndPidNamespacesAreExternal) {
  const config::Spec spec = Spec();
  absl::StatusOr<criu_req> request = DumpRequest(
      {.spec = &spec, .bundle = "/b", .pid = 1, .images_dir_fd = 3,
       .external_namespace_inodes = {{"network", 4026531992}, {"pid", 4026531836}}},
      CheckpointOptions{});
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_THAT(request->opts().external(),
              ElementsAre("net[4026531992]:extRootNetNS", "pid[4026531836]:extRootPidNS"));
}

TEST(DumpRequestTest, ATerminalAsksForTheOrphanPtsMaster) {
  config::Spec spec = Spec();
  spec.mutable_process()->set_terminal(true);
  absl::StatusOr<criu_req> request =
      DumpRequest({.spec = &spec, .bundle = "/b", .pid = 1, .images_dir_fd = 3}, {});
  ASSERT_THAT(request.status(), IsOk());
  EXPECT_TRUE(request->opts().orphan_pts_master());
}

TEST(DumpRequestTest, RefusesBadFlagsByName) {
  const config::Spec spec = Spec();
  CheckpointOptions mode;
  mode.manage_cgroups_mode = "loose";
  EXPECT_THAT(DumpRequest({.spec = &spec, .pid = 1, .images_dir_fd = 3}, mode).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--manage-cgroups-mode")));
  CheckpointOptions server;
  server.page_server = "nohost";
  EXPECT_THAT(DumpRequest({.spec = &spec, .pid = 1, .images_dir_fd = 3}, server).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--page-server")));
  CheckpointOptions empty;
  empty.empty_ns = CLONE_NEWPID;
  EXPECT_THAT(DumpRequest({.spec = &spec, .pid = 1, .images_dir_fd = 3}, empty).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--empty-ns")));
}

TEST(RestoreRequestTest, MapsBindsCgroupsAndNamespaces) {
  config::Spec spec = Spec();
  spec.mutable_linux()->add_masked_paths("/proc/kcore");
  config::Namespace& uts = *spec.mutable_linux()->add_namespaces();
  uts.set_type("uts");
  uts.set_path("/proc/77/ns/uts");
  config::Namespace& net = *spec.mutable_linux()->add_namespaces();
  net.set_type("network");
  net.set_path("/run/netns/x");
  config::Namespace& mnt = *spec.mutable_linux()->add_namespaces();
  mnt.set_type("mount");
  RestoreOptions options;
  options.bundle = "/new";
  options.manage_cgroups_mode = "soft";
  absl::StatusOr<RestorePlan> plan = RestoreRequest(
      {.spec = &spec, .images_dir_fd = 7, .work_dir_fd = 8,
       .cgroup_paths = {{"", "/sys/fs/cgroup/new"}},
       .external_namespace_fds = {{"network", 20}}},
      options);
  ASSERT_THAT(plan.status(), IsOk());
  const criu_opts& opts = plan->request.opts();
  EXPECT_EQ(plan->request.type(), RESTORE);
  EXPECT_EQ(opts.root(), "/new/rootfs");
  EXPECT_EQ(opts.log_file(), "restore.log");
  EXPECT_TRUE(opts.rst_sibling());
  EXPECT_EQ(opts.manage_cgroups_mode(), SOFT);
  ASSERT_EQ(opts.cg_root_size(), 1);
  EXPECT_FALSE(opts.cg_root(0).has_ctrl());
  EXPECT_EQ(opts.cg_root(0).path(), "/sys/fs/cgroup/new");
  EXPECT_THAT(ExternalMounts(opts), ElementsAre("/data=/new/shared", "/dev/null=/dev/null"));
  ASSERT_EQ(opts.join_ns_size(), 1);
  EXPECT_EQ(opts.join_ns(0).ns(), "uts");
  EXPECT_EQ(opts.join_ns(0).ns_file(), "/proc/77/ns/uts");
  ASSERT_EQ(opts.inherit_fd_size(), 1);
  EXPECT_EQ(opts.inherit_fd(0).key(), "extRootNetNS");
  EXPECT_EQ(opts.inherit_fd(0).fd(), 4);
  EXPECT_THAT(plan->extra_fds, ElementsAre(20));
}

TEST(RestoreRequestTest, StdioPipesBecomeTheCallersStdio) {
  const config::Spec spec = Spec();
  RestoreOptions options;
  options.bundle = "/new";
  absl::StatusOr<RestorePlan> plan = RestoreRequest(
      {.spec = &spec, .images_dir_fd = 7,
       .descriptors = {"/dev/null", "pipe:[100]", "pipe:[101]"}, .stdio = {10, 11, 12}},
      options);
  ASSERT_THAT(plan.status(), IsOk());
  const criu_opts& opts = plan->request.opts();
  ASSERT_EQ(opts.inherit_fd_size(), 2);
  EXPECT_EQ(opts.inherit_fd(0).key(), "pipe:[100]");
  EXPECT_EQ(opts.inherit_fd(0).fd(), 4);
  EXPECT_EQ(opts.inherit_fd(1).key(), "pipe:[101]");
  EXPECT_EQ(opts.inherit_fd(1).fd(), 5);
  EXPECT_THAT(plan->extra_fds, ElementsAre(11, 12));
}

TEST(RestoreRequestTest, RefusesAJoinedCgroupNamespace) {
  config::Spec spec = Spec();
  config::Namespace& cgroup = *spec.mutable_linux()->add_namespaces();
  cgroup.set_type("cgroup");
  cgroup.set_path("/proc/1/ns/cgroup");
  RestoreOptions options;
  options.bundle = "/new";
  EXPECT_THAT(RestoreRequest({.spec = &spec, .images_dir_fd = 7}, options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cgroup namespace")));
}

TEST(RestoreRequestTest, NoImagesNoRequest) {
  const config::Spec spec = Spec();
  EXPECT_THAT(RestoreRequest({.spec = &spec}, RestoreOptions{}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image directory")));
  EXPECT_THAT(RestoreRequest({.spec = &spec, .images_dir_fd = 3}, RestoreOptions{})->extra_fds,
              IsEmpty());
}

}  // namespace
}  // namespace hull::runtime::criu
