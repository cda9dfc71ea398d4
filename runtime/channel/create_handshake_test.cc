#include "runtime/channel/create_handshake.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/channel/sync_channel.h"
#include "testing/status_matchers.h"

namespace hull::channel {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// Both sides in one process: each message is sent before it is expected.
class CreateHandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
    ASSERT_THAT(pair, IsOk());
    pair_.emplace(*std::move(pair));
  }

  // Both sides through ReadyForHooks and HooksDone (without a user
  // namespace).
  static void PassTheHooks(CreateHandshake& launcher, CreateHandshake& init) {
    ASSERT_THAT(init.Send(SyncMessage::kReadyForHooks), IsOk());
    ASSERT_THAT(launcher.Expect(SyncMessage::kReadyForHooks, absl::Seconds(5)), IsOk());
    ASSERT_THAT(launcher.Send(SyncMessage::kHooksDone), IsOk());
    ASSERT_THAT(init.Expect(SyncMessage::kHooksDone, absl::Seconds(5)), IsOk());
  }

  std::optional<SyncChannelPair> pair_;
};

TEST_F(CreateHandshakeTest, WalksTheSequenceWithANewUserNamespace) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/true);
  ASSERT_THAT(init.Send(SyncMessage::kReadyForIdMaps), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kReadyForIdMaps, absl::Seconds(5)), IsOk());
  ASSERT_THAT(launcher.Send(SyncMessage::kIdMapsWritten), IsOk());
  ASSERT_THAT(init.Expect(SyncMessage::kIdMapsWritten, absl::Seconds(5)), IsOk());
  ASSERT_THAT(init.Send(SyncMessage::kReadyForHooks), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kReadyForHooks, absl::Seconds(5)), IsOk());
  ASSERT_THAT(launcher.Send(SyncMessage::kHooksDone), IsOk());
  ASSERT_THAT(init.Expect(SyncMessage::kHooksDone, absl::Seconds(5)), IsOk());
  EXPECT_FALSE(init.done());
  ASSERT_THAT(init.Send(SyncMessage::kChildReady), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kChildReady, absl::Seconds(5)), IsOk());
  EXPECT_TRUE(launcher.done());
  EXPECT_TRUE(init.done());
}

// The launcher's id-mapped trees pass with IdMapsWritten, in the order of
// their mounts, as many as there are (more than a message took before).
TEST_F(CreateHandshakeTest, IdMapsWrittenPassesTheTreesInOrder) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/true);
  std::vector<UniqueFd> sent;
  std::vector<int> sent_fds;
  std::vector<ino_t> sent_inodes;
  for (int i = 0; i < 40; ++i) {
    int pipe_fds[2];
    ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
    sent.emplace_back(pipe_fds[0]);
    close(pipe_fds[1]);
    struct stat st;
    ASSERT_EQ(fstat(pipe_fds[0], &st), 0);
    sent_fds.push_back(pipe_fds[0]);
    sent_inodes.push_back(st.st_ino);
  }
  ASSERT_THAT(init.Send(SyncMessage::kReadyForIdMaps), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kReadyForIdMaps, absl::Seconds(5)), IsOk());
  ASSERT_THAT(launcher.Send(SyncMessage::kIdMapsWritten, sent_fds), IsOk());
  absl::StatusOr<std::vector<UniqueFd>> received =
      init.ExpectFds(SyncMessage::kIdMapsWritten, absl::Seconds(5));
  ASSERT_THAT(received, IsOk());
  std::vector<ino_t> received_inodes;
  for (const UniqueFd& fd : *received) {
    struct stat st;
    ASSERT_EQ(fstat(fd.get(), &st), 0);
    received_inodes.push_back(st.st_ino);
  }
  EXPECT_EQ(received_inodes, sent_inodes);
  ASSERT_THAT(init.Send(SyncMessage::kReadyForHooks), IsOk());
  EXPECT_THAT(launcher.Expect(SyncMessage::kReadyForHooks, absl::Seconds(5)), IsOk());
}

TEST_F(CreateHandshakeTest, WithoutAUserNamespaceTheIdMapsAreSkipped) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false);
  EXPECT_THAT(launcher.Send(SyncMessage::kIdMapsWritten),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("IdMapsWritten from the launcher "
                                                              "out of turn; next is ReadyForHooks "
                                                              "from the container init")));
  ASSERT_THAT(init.Send(SyncMessage::kReadyForHooks), IsOk());
  EXPECT_THAT(launcher.Expect(SyncMessage::kReadyForHooks, absl::Seconds(5)), IsOk());
}

// In a joined user namespace there are no maps: the trees pass alone.
TEST_F(CreateHandshakeTest, InAJoinedUserNamespaceTheTreesPassAlone) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false,
                           /*terminal=*/false, /*seccomp_listener=*/false,
                           /*cgroup_joined_by_launcher=*/false,
                           /*trees_for_joined_user_namespace=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false,
                       /*terminal=*/false, /*seccomp_listener=*/false,
                       /*cgroup_joined_by_launcher=*/false,
                       /*trees_for_joined_user_namespace=*/true);
  EXPECT_THAT(init.Send(SyncMessage::kReadyForHooks),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("ReadyForHooks from the container init out of turn; next is "
                                 "IdMappedTrees from the launcher")));
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  ASSERT_THAT(launcher.Send(SyncMessage::kIdMappedTrees, {read_end.get()}), IsOk());
  absl::StatusOr<std::vector<UniqueFd>> trees =
      init.ExpectFds(SyncMessage::kIdMappedTrees, absl::Seconds(5));
  ASSERT_THAT(trees, IsOk());
  EXPECT_EQ(trees->size(), 1u);
  PassTheHooks(launcher, init);
}

TEST_F(CreateHandshakeTest, WithTheSystemdDriverCgroupJoinedComesFirst) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/true,
                           /*terminal=*/false, /*seccomp_listener=*/false,
                           /*cgroup_joined_by_launcher=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/true,
                       /*terminal=*/false, /*seccomp_listener=*/false,
                       /*cgroup_joined_by_launcher=*/true);
  EXPECT_THAT(launcher.Send(SyncMessage::kIdMapsWritten),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("IdMapsWritten from the launcher out of turn; next is "
                                 "CgroupJoined from the launcher")));
  ASSERT_THAT(launcher.Send(SyncMessage::kCgroupJoined), IsOk());
  ASSERT_THAT(init.Expect(SyncMessage::kCgroupJoined, absl::Seconds(5)), IsOk());
  ASSERT_THAT(init.Send(SyncMessage::kReadyForIdMaps), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kReadyForIdMaps, absl::Seconds(5)), IsOk());
  ASSERT_THAT(launcher.Send(SyncMessage::kIdMapsWritten), IsOk());
  ASSERT_THAT(init.Expect(SyncMessage::kIdMapsWritten, absl::Seconds(5)), IsOk());
}

TEST_F(CreateHandshakeTest, AnInitThatDoesNotWaitAfterItsMountsGoesStraightToChildReady) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false,
                           /*terminal=*/false, /*seccomp_listener=*/false,
                           /*cgroup_joined_by_launcher=*/false,
                           /*trees_for_joined_user_namespace=*/false,
                           /*init_waits_after_mounts=*/false);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false,
                       /*terminal=*/false, /*seccomp_listener=*/false,
                       /*cgroup_joined_by_launcher=*/false,
                       /*trees_for_joined_user_namespace=*/false,
                       /*init_waits_after_mounts=*/false);
  EXPECT_THAT(init.Send(SyncMessage::kReadyForHooks),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("ReadyForHooks from the container init out of turn; next is "
                                 "ChildReady from the container init")));
  EXPECT_THAT(launcher.Send(SyncMessage::kHooksDone),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("HooksDone from the launcher out of turn; next is ChildReady "
                                 "from the container init")));
  ASSERT_THAT(init.Send(SyncMessage::kChildReady), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kChildReady, absl::Seconds(5)), IsOk());
  EXPECT_TRUE(launcher.done());
  EXPECT_TRUE(init.done());
}

// Any hook the launcher runs before the init goes on, or whose state the
// init's own hooks read, and network devices the launcher moves meanwhile.
TEST(InitWaitsAfterMountsTest, OnlyForHooksBeforeStartOrNetworkDevices) {
  config::Spec spec;
  EXPECT_FALSE(InitWaitsAfterMounts(spec));
  spec.mutable_hooks()->add_poststart()->set_path("/bin/true");
  spec.mutable_hooks()->add_poststop()->set_path("/bin/true");
  EXPECT_FALSE(InitWaitsAfterMounts(spec));
  for (auto add : {+[](config::Hooks& hooks) { return hooks.add_prestart(); },
                   +[](config::Hooks& hooks) { return hooks.add_create_runtime(); },
                   +[](config::Hooks& hooks) { return hooks.add_create_container(); },
                   +[](config::Hooks& hooks) { return hooks.add_start_container(); }}) {
    config::Spec with_hook = spec;
    add(*with_hook.mutable_hooks())->set_path("/bin/true");
    EXPECT_TRUE(InitWaitsAfterMounts(with_hook)) << with_hook.hooks().ShortDebugString();
  }
  config::Spec with_device = spec;
  (*with_device.mutable_linux()->mutable_net_devices())["eth1"].set_name("eth0");
  EXPECT_TRUE(InitWaitsAfterMounts(with_device));
}

TEST_F(CreateHandshakeTest, WithoutTheSystemdDriverThereIsNoCgroupJoined) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false);
  EXPECT_THAT(launcher.Send(SyncMessage::kCgroupJoined),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("CgroupJoined from the launcher "
                                                              "out of turn")));
}

TEST_F(CreateHandshakeTest, WithATerminalThePtyMasterPassesBeforeChildReady) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false,
                           /*terminal=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false,
                       /*terminal=*/true);
  ASSERT_NO_FATAL_FAILURE(PassTheHooks(launcher, init));
  EXPECT_THAT(init.Send(SyncMessage::kChildReady),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("ChildReady from the container init out of turn; next is "
                                 "PtyMaster from the container init")));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  ASSERT_THAT(init.Send(SyncMessage::kPtyMaster, {write_end.get()}), IsOk());
  absl::StatusOr<UniqueFd> master = launcher.ExpectFd(SyncMessage::kPtyMaster, absl::Seconds(5));
  ASSERT_THAT(master, IsOk());
  EXPECT_EQ(write(master->get(), "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(read(read_end.get(), &byte, 1), 1);
  ASSERT_THAT(init.Send(SyncMessage::kChildReady), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kChildReady, absl::Seconds(5)), IsOk());
  EXPECT_TRUE(launcher.done());
  EXPECT_TRUE(init.done());
}

TEST_F(CreateHandshakeTest, WithoutATerminalThereIsNoPtyMaster) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false);
  ASSERT_NO_FATAL_FAILURE(PassTheHooks(launcher, init));
  EXPECT_THAT(init.Send(SyncMessage::kPtyMaster),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("PtyMaster from the container init "
                                                              "out of turn; next is ChildReady")));
}

TEST_F(CreateHandshakeTest, APtyMasterWithoutItsFdIsRefused) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false,
                           /*terminal=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false,
                       /*terminal=*/true);
  ASSERT_NO_FATAL_FAILURE(PassTheHooks(launcher, init));
  ASSERT_THAT(init.Send(SyncMessage::kPtyMaster), IsOk());
  EXPECT_THAT(launcher.ExpectFd(SyncMessage::kPtyMaster, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kInternal, "PtyMaster passed 0 fds instead of one"));
}

TEST_F(CreateHandshakeTest, WithANotifyingSeccompFilterItsListenerPassesAfterThePtyMaster) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false,
                           /*terminal=*/true, /*seccomp_listener=*/true);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false,
                       /*terminal=*/true, /*seccomp_listener=*/true);
  ASSERT_NO_FATAL_FAILURE(PassTheHooks(launcher, init));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  EXPECT_THAT(init.Send(SyncMessage::kSeccompListener, {write_end.get()}),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("SeccompListener from the container init out of turn; next is "
                                 "PtyMaster")));
  ASSERT_THAT(init.Send(SyncMessage::kPtyMaster, {write_end.get()}), IsOk());
  ASSERT_THAT(launcher.ExpectFd(SyncMessage::kPtyMaster, absl::Seconds(5)), IsOk());
  EXPECT_THAT(init.Send(SyncMessage::kChildReady),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("ChildReady from the container init out of turn; next is "
                                 "SeccompListener from the container init")));
  ASSERT_THAT(init.Send(SyncMessage::kSeccompListener, {write_end.get()}), IsOk());
  ASSERT_THAT(launcher.ExpectFd(SyncMessage::kSeccompListener, absl::Seconds(5)), IsOk());
  ASSERT_THAT(init.Send(SyncMessage::kChildReady), IsOk());
  ASSERT_THAT(launcher.Expect(SyncMessage::kChildReady, absl::Seconds(5)), IsOk());
  EXPECT_TRUE(launcher.done());
  EXPECT_TRUE(init.done());
}

TEST_F(CreateHandshakeTest, RefusesASideSendingTheOthersMessage) {
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false);
  ASSERT_THAT(init.Send(SyncMessage::kReadyForHooks), IsOk());
  EXPECT_THAT(init.Send(SyncMessage::kChildReady),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("next is HooksDone from the launcher")));
}

TEST_F(CreateHandshakeTest, RefusesToSendNoKind) {
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false);
  EXPECT_THAT(init.Send(SyncMessage::KIND_NOT_SET),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("an empty message")));
}

TEST_F(CreateHandshakeTest, AnInitErrorComesInsteadOfItsMessage) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false);
  ASSERT_THAT(pair_->child.SendError("mount things", absl::PermissionDeniedError("denied")), IsOk());
  EXPECT_THAT(launcher.Expect(SyncMessage::kReadyForHooks, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "container init failed to mount things: denied"));
}

TEST_F(CreateHandshakeTest, MessagesCarryWhatTheyHold) {
  CreateHandshake launcher(pair_->parent, CreatePeer::kLauncher, /*new_user_namespace=*/false);
  CreateHandshake init(pair_->child, CreatePeer::kInit, /*new_user_namespace=*/false);
  SyncMessage ready;
  ready.mutable_ready_for_hooks()->set_pid(1);
  ASSERT_THAT(init.Send(ready), IsOk());
  absl::StatusOr<SyncMessage> received =
      launcher.ExpectMessage(SyncMessage::kReadyForHooks, absl::Seconds(5));
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->ready_for_hooks().pid(), 1);

  SyncMessage done;
  done.mutable_hooks_done()->set_start_container_state(R"({"status":"created"})");
  // A message with content is held to the sequence too.
  EXPECT_THAT(init.Send(done),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("HooksDone from the container init out of turn")));
  ASSERT_THAT(launcher.Send(done), IsOk());
  received = init.ExpectMessage(SyncMessage::kHooksDone, absl::Seconds(5));
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->hooks_done().start_container_state(), R"({"status":"created"})");
}

}  // namespace
}  // namespace hull::channel
