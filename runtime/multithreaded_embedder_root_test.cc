// Root test: a multi-threaded program embedding the library. Real containers
// (busybox, every namespace, this host's cgroups) are created, exec'd into,
// started, waited for and deleted from many threads at once while other threads
// allocate and log, their inits cloned by a fork server started while the
// test was still single-threaded; and without one, a create from the
// threaded program is refused and leaves nothing.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "config/default_spec.h"
#include "config/runtime_spec.pb.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/container.h"
#include "runtime/spawn/fork_server.h"
#include "testing/files.h"
#include "testing/held_resources.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::CheckNoChildren;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::RootfsFixture;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class MultiThreadedEmbedderRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
    ASSERT_THAT(rootfs, IsOk());
    rootfs_.emplace(*std::move(rootfs));
    bundle_ = std::getenv("TEST_TMPDIR");
    state_root_ = absl::StrCat(bundle_, "/state-",
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  config::Spec Spec(int exit_code) const {
    config::Spec spec = config::DefaultSpec(/*rootless=*/false);
    spec.mutable_root()->set_path(rootfs_->path());
    spec.mutable_process()->set_terminal(false);
    spec.mutable_process()->clear_args();
    for (const char* arg : {"/bin/sh", "-c"}) spec.mutable_process()->add_args(arg);
    spec.mutable_process()->add_args(absl::StrCat("exit ", exit_code));
    return spec;
  }

  std::optional<RootfsFixture> rootfs_;
  std::string bundle_;
  std::string state_root_;
};

TEST_F(MultiThreadedEmbedderRootTest, ManyThreadsCreateContainersThroughAForkServer) {
  absl::StatusOr<std::unique_ptr<ForkServer>> server = ForkServer::Start();
  ASSERT_THAT(server, IsOk());
  Runtime runtime({.state_root = state_root_, .spawner = server->get()});

  // Allocation and logging in flight in other threads, all along.
  std::atomic<bool> stop = false;
  std::vector<std::thread> busy;
  for (int i = 0; i < 3; ++i) {
    busy.emplace_back([&stop, i] {
      for (int round = 0; !stop; ++round) {
        std::vector<std::unique_ptr<char[]>> blocks;
        for (int size = 16; size < 1 << 18; size *= 2) blocks.emplace_back(new char[size]);
        if (round % 64 == 0) VLOG(1) << "busy thread " << i << " round " << round;
      }
    });
  }
  constexpr int kThreads = 8;
  constexpr int kContainersPerThread = 3;
  std::vector<std::thread> creators;
  for (int t = 0; t < kThreads; ++t) {
    creators.emplace_back([&, t] {
      for (int i = 0; i < kContainersPerThread; ++i) {
        const int code = t * kContainersPerThread + i;
        // Unique to this run: the cgroups /hull/<id> are the host's.
        const std::string id = absl::StrCat("mt-", getpid(), "-", t, "-", i);
        absl::StatusOr<Container> container = runtime.Create(id, Spec(code), {.bundle = bundle_});
        ASSERT_THAT(container, IsOk()) << id;
        // A process exec'd into it, through the fork server too.
        absl::StatusOr<ExecProcess> exec = container->Exec(Spec(code + 100).process());
        EXPECT_THAT(exec, IsOk()) << id;
        if (exec.ok()) {
          EXPECT_THAT(exec->Wait(),
                      IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = code + 100}))
              << id;
        }
        EXPECT_THAT(container->Start(), IsOk()) << id;
        EXPECT_THAT(container->Wait(),
                    IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = code}))
            << id;
        EXPECT_THAT(container->Delete(/*force=*/false), IsOk()) << id;
      }
    });
  }
  for (std::thread& thread : creators) thread.join();
  stop = true;
  for (std::thread& thread : busy) thread.join();
  EXPECT_THAT(runtime.List(), IsOkAndHolds(IsEmpty()));
  server->reset();
  EXPECT_THAT(CheckNoChildren(), IsOk());
}

TEST_F(MultiThreadedEmbedderRootTest, WithoutAForkServerAThreadedCallerIsRefused) {
  Runtime runtime(state_root_);
  absl::Notification done;
  std::thread other([&done] { done.WaitForNotification(); });
  const std::string id = absl::StrCat("refused-", getpid());
  absl::StatusOr<Container> container = runtime.Create(id, Spec(0), {.bundle = bundle_});
  done.Notify();
  other.join();
  EXPECT_THAT(container, StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("start a hull::runtime::ForkServer")));
  EXPECT_THAT(runtime.List(), IsOkAndHolds(IsEmpty()));
  EXPECT_FALSE(hull::testing::Exists(absl::StrCat("/sys/fs/cgroup/memory/hull/", id)));
  EXPECT_FALSE(hull::testing::Exists(absl::StrCat("/sys/fs/cgroup/pids/hull/", id)));
  EXPECT_THAT(CheckNoChildren(), IsOk());
}

}  // namespace
}  // namespace hull::runtime
