#include "runtime/spawn/init_spawner.h"

#include <unistd.h>

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "testing/forking_cloner.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::ForkingCloner;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

// The init exits with the length of its container id: proof that the steps
// given ran, on the context given.
absl::Status ExitWithIdLength(Init& init) { _exit(static_cast<int>(ContextOf(init).container_id.size())); }

constexpr InitStep kSteps[] = {{"exit with the id's length", ExitWithIdLength}};

class InProcessSpawnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<channel::SyncChannelPair> pair = channel::CreateSyncChannelPair();
    ASSERT_THAT(pair, IsOk());
    channels_.emplace(*std::move(pair));
  }

  InitContext Context() {
    return InitContext{.spec = spec_, .container_id = "seven77", .channel = channels_->child};
  }

  config::Spec spec_;
  std::optional<channel::SyncChannelPair> channels_;
  ForkingCloner cloner_;
};

TEST_F(InProcessSpawnerTest, RunsTheStepsInAChildOfTheCaller) {
  InProcessSpawner spawner(cloner_, kSteps);
  InitContext context = Context();
  absl::StatusOr<nsenter::ClonedProcess> init = spawner.Spawn(context);
  ASSERT_THAT(init, IsOk());
  EXPECT_GT(init->pid, 0);
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()),
              IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 7}));
}

TEST_F(InProcessSpawnerTest, ClonesIntoTheContextsNamespacesAndCgroup) {
  InProcessSpawner spawner(cloner_, kSteps);
  InitContext context = Context();
  context.namespaces.clone_flags = CLONE_NEWNS | CLONE_NEWUTS;
  context.cgroup2_directory_fd = 42;
  absl::StatusOr<nsenter::ClonedProcess> init = spawner.Spawn(context);
  ASSERT_THAT(init, IsOk());
  ASSERT_THAT(nsenter::PidfdWait(init->pidfd.get()), IsOk());
  EXPECT_EQ(cloner_.last_options().namespace_flags, CLONE_NEWNS | CLONE_NEWUTS);
  EXPECT_EQ(cloner_.last_options().cgroup_fd, 42);
  EXPECT_FALSE(cloner_.last_options().as_sibling);
}

TEST_F(InProcessSpawnerTest, RefusesAMultiThreadedCallerBeforeCloning) {
  InProcessSpawner spawner(cloner_, kSteps);
  absl::Notification done;
  std::thread other([&done] { done.WaitForNotification(); });
  InitContext context = Context();
  absl::StatusOr<nsenter::ClonedProcess> init = spawner.Spawn(context);
  done.Notify();
  other.join();
  EXPECT_THAT(init, StatusIs(absl::StatusCode::kFailedPrecondition,
                             AllOf(HasSubstr("from a process with 2 threads"),
                                   HasSubstr("ForkServer"))));
  EXPECT_EQ(cloner_.clones(), 0);
}

// An intermediate process joins what must come before the clone; its
// failure comes back to the caller, with no init cloned.
TEST_F(InProcessSpawnerTest, AJoinBeforeTheCloneThatFailsIsTheCallersError) {
  InProcessSpawner spawner(cloner_, kSteps);
  InitContext context = Context();
  context.namespaces.clone_flags = CLONE_NEWNS;
  context.namespaces.joins_before_clone = {{nsenter::NamespaceType::kUser, "/dev/null"}};
  EXPECT_THAT(spawner.Spawn(context),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("before the init's clone"), HasSubstr("/dev/null"))));
  EXPECT_EQ(cloner_.clones(), 1);  // the intermediate alone, reaped
}

// A fork server's clone is the program's child: so would its intermediate
// process be, which nothing could reap.
TEST_F(InProcessSpawnerTest, AJoinBeforeTheCloneIsRefusedThroughAForkServer) {
  InitContext context = Context();
  context.namespaces.joins_before_clone = {{nsenter::NamespaceType::kUser, "/proc/1/ns/user"}};
  EXPECT_THAT(CloneInit(cloner_, context, kSteps, /*as_sibling=*/true, /*sealed=*/false),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("fork server"), HasSubstr("user /proc/1/ns/user"))));
  EXPECT_EQ(cloner_.clones(), 0);
}

TEST(RequireSingleThreadedTest, PassesWithOneThread) {
  EXPECT_THAT(RequireSingleThreaded(), IsOk());
}

}  // namespace
}  // namespace hull::runtime
