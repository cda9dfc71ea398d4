#include "runtime/channel/sync_channel.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/channel/sync_message.pb.h"
#include "testing/status_matchers.h"

namespace hull::channel {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

SyncMessage Of(SyncMessage::KindCase kind) {
  SyncMessage message;
  switch (kind) {
    case SyncMessage::kIdMapsWritten:
      message.mutable_id_maps_written();
      break;
    case SyncMessage::kChildReady:
      message.mutable_child_ready();
      break;
    case SyncMessage::kHooksDone:
      message.mutable_hooks_done();
      break;
    default:
      ADD_FAILURE() << "no test message of kind " << kind;
  }
  return message;
}

// Forks a child that runs `body` on its end of the channel and exits with 0
// when the body returns true; the parent gets its own end, the child's closed.
class ForkedPeer {
 public:
  explicit ForkedPeer(const std::function<bool(SyncChannel&)>& body) {
    absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
    if (!pair.ok()) {
      ADD_FAILURE() << pair.status();
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      SyncChannel child = std::move(pair->child);
      { SyncChannel unused = std::move(pair->parent); }
      _exit(body(child) ? 0 : 1);
    }
    parent_.emplace(std::move(pair->parent));
    SyncChannel unused = std::move(pair->child);
  }
  ~ForkedPeer() {
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }

  SyncChannel& channel() { return *parent_; }

  // The child's exit code, or -1.
  int Wait() {
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  std::optional<SyncChannel> parent_;
};

TEST(SyncChannelTest, HandshakeAcrossFork) {
  ForkedPeer child([](SyncChannel& channel) {
    if (!channel.Expect(SyncMessage::kIdMapsWritten).ok()) return false;
    return channel.Send(Of(SyncMessage::kChildReady)).ok();
  });
  ASSERT_THAT(child.channel().Send(Of(SyncMessage::kIdMapsWritten)), IsOk());
  EXPECT_THAT(child.channel().Expect(SyncMessage::kChildReady, absl::Seconds(30)), IsOk());
  EXPECT_EQ(child.Wait(), 0);
}

TEST(SyncChannelTest, ChildErrorBecomesOneStatus) {
  ForkedPeer child([](SyncChannel& channel) {
    return channel
        .SendError(
            "prepare the root filesystem",
            absl::PermissionDeniedError("mount \"proc\" on \"/proc\": Operation not permitted"))
        .ok();
  });
  EXPECT_THAT(child.channel().Expect(SyncMessage::kChildReady, absl::Seconds(30)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "container init failed to prepare the root filesystem: mount \"proc\" on "
                       "\"/proc\": Operation not permitted"));
  EXPECT_EQ(child.Wait(), 0);
}

TEST(SyncChannelTest, PeerExitIsAClearError) {
  ForkedPeer child([](SyncChannel&) { return true; });
  EXPECT_THAT(
      child.channel().Expect(SyncMessage::kChildReady, absl::Seconds(30)),
      StatusIs(absl::StatusCode::kUnavailable, "container init exited before sending ChildReady"));
  EXPECT_EQ(child.Wait(), 0);
  EXPECT_THAT(child.channel().Receive(absl::Seconds(30)),
              StatusIs(absl::StatusCode::kUnavailable, "container init has exited"));
  EXPECT_THAT(
      child.channel().Send(Of(SyncMessage::kHooksDone)),
      StatusIs(absl::StatusCode::kUnavailable, "send HooksDone to container init: it has exited"));
}

// The launcher sends the init a message after the init failed and exited:
// the init's error, not the closed channel, is what went wrong.
TEST(SyncChannelTest, SendToAPeerThatFailedReturnsItsError) {
  ForkedPeer child([](SyncChannel& channel) {
    return channel.SendError("join namespaces", absl::PermissionDeniedError("setns: denied")).ok();
  });
  EXPECT_EQ(child.Wait(), 0);
  EXPECT_THAT(child.channel().Send(Of(SyncMessage::kHooksDone)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "container init failed to join namespaces: setns: denied"));
}

TEST(SyncChannelTest, MessagesSentBeforeExitAreStillRead) {
  ForkedPeer child(
      [](SyncChannel& channel) { return channel.Send(Of(SyncMessage::kChildReady)).ok(); });
  EXPECT_EQ(child.Wait(), 0);
  EXPECT_THAT(child.channel().Expect(SyncMessage::kChildReady, absl::Seconds(30)), IsOk());
}

// The init sends its error, the launcher meanwhile sends it a message it never
// reads, and the init exits: the kernel then reports ECONNRESET on the
// launcher's end before the error still queued there (a create failure once
// hid behind "exited before sending ReadyForHooks" so).
TEST(SyncChannelTest, AnErrorQueuedBeforeAResetIsStillRead) {
  absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
  ASSERT_THAT(pair, IsOk());
  ASSERT_THAT(pair->child.SendError("wait for its id maps", absl::DataLossError("injected")),
              IsOk());
  ASSERT_THAT(pair->parent.Send(Of(SyncMessage::kHooksDone)), IsOk());
  { SyncChannel exited = std::move(pair->child); }
  EXPECT_THAT(pair->parent.Expect(SyncMessage::kReadyForHooks, absl::Seconds(30)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "container init failed to wait for its id maps: injected"));
  EXPECT_THAT(pair->parent.Receive(absl::Seconds(30)),
              StatusIs(absl::StatusCode::kUnavailable, "container init has exited"));
}

// A message may pass fds (a terminal's master): they come out with it, and
// Receive, which has no use for them, closes them.
TEST(SyncChannelTest, FdsPassWithAMessage) {
  absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
  ASSERT_THAT(pair, IsOk());
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  SyncMessage pty_master;
  pty_master.mutable_pty_master();
  ASSERT_THAT(pair->child.Send(pty_master, {write_end.get()}), IsOk());
  write_end.Reset();
  absl::StatusOr<std::vector<UniqueFd>> fds =
      pair->parent.ExpectWithFds(SyncMessage::kPtyMaster, absl::Seconds(30));
  ASSERT_THAT(fds, IsOk());
  ASSERT_EQ(fds->size(), 1u);
  ASSERT_EQ(write(fds->front().get(), "x", 1), 1);
  char byte = 0;
  ASSERT_EQ(read(read_end.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');

  write_end.Reset(dup(fds->front().get()));
  fds->clear();
  ASSERT_THAT(pair->child.Send(pty_master, {write_end.get()}), IsOk());
  write_end.Reset();
  ASSERT_THAT(pair->parent.Receive(absl::Seconds(30)), IsOk());
  // Every write end is closed: the pipe reads its end.
  EXPECT_EQ(read(read_end.get(), &byte, 1), 0);
}

TEST(SyncChannelTest, TheLauncherIsThePeerOnTheChildSide) {
  absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
  ASSERT_THAT(pair, IsOk());
  { SyncChannel closed = std::move(pair->parent); }
  EXPECT_THAT(
      pair->child.Expect(SyncMessage::kIdMapsWritten),
      StatusIs(absl::StatusCode::kUnavailable, "the launcher exited before sending IdMapsWritten"));
}

TEST(SyncChannelTest, TimeoutAndUnexpectedKind) {
  absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
  ASSERT_THAT(pair, IsOk());
  EXPECT_THAT(pair->parent.Expect(SyncMessage::kChildReady, absl::Milliseconds(10)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       "container init did not send ChildReady within 10ms"));
  ASSERT_THAT(pair->child.Send(Of(SyncMessage::kHooksDone)), IsOk());
  EXPECT_THAT(pair->parent.Expect(SyncMessage::kChildReady, absl::Seconds(30)),
              StatusIs(absl::StatusCode::kInternal,
                       "container init sent HooksDone where ChildReady was expected"));
}

TEST(SyncChannelTest, GarbageIsRefused) {
  absl::StatusOr<SyncChannelPair> pair = CreateSyncChannelPair();
  ASSERT_THAT(pair, IsOk());
  const char garbage[] = "\xff\xff\xff";
  ASSERT_EQ(send(pair->child.fd(), garbage, 3, 0), 3);
  EXPECT_THAT(pair->parent.Receive(absl::Seconds(30)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("3 bytes are not a SyncMessage")));
}

TEST(ChildErrorToStatusTest, StepMessageAndCode) {
  ChildError error;
  error.set_step("open the exec fifo");
  error.set_message("open /proc/self/fd/5: No such file or directory");
  error.set_code(static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_THAT(ChildErrorToStatus(error),
              StatusIs(absl::StatusCode::kNotFound,
                       "container init failed to open the exec fifo: "
                       "open /proc/self/fd/5: No such file or directory"));
  // A code out of range is Unknown.
  error.set_code(1000);
  EXPECT_THAT(ChildErrorToStatus(error), StatusIs(absl::StatusCode::kUnknown, ::testing::_));
  // Never OK, whatever the child sent.
  EXPECT_THAT(ChildErrorToStatus(ChildError()),
              StatusIs(absl::StatusCode::kUnknown, "container init failed"));
  EXPECT_THAT(ChildErrorToStatus(MakeChildError("set rlimits", absl::InvalidArgumentError("bad"),
                                               "exec'd process")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "exec'd process failed to set rlimits: bad"));
  EXPECT_THAT(ChildErrorToStatus(MakeChildError("x", absl::OkStatus())),
              StatusIs(absl::StatusCode::kUnknown, "container init failed to x"));
}

}  // namespace
}  // namespace hull::channel
