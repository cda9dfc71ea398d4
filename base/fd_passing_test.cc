#include "base/fd_passing.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

struct SocketPair {
  UniqueFd a;
  UniqueFd b;
};

SocketPair MakeSocketPair() {
  int fds[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

TEST(FdPassingTest, PassesDataAndFdsThatReachTheSameFile) {
  SocketPair sockets = MakeSocketPair();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);

  ASSERT_THAT(SendWithFds(sockets.a.get(), "hello", {write_end.get(), read_end.get()}), IsOk());
  absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(sockets.b.get(), 64, 4);
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->data, "hello");
  ASSERT_THAT(received->fds, SizeIs(2));
  // The received write end feeds the original read end.
  ASSERT_EQ(write(received->fds[0].get(), "x", 1), 1);
  char byte = 0;
  ASSERT_EQ(read(read_end.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
  EXPECT_EQ(fcntl(received->fds[1].get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(FdPassingTest, AClosedPeerReadsAsEmptyData) {
  SocketPair sockets = MakeSocketPair();
  sockets.a.Reset();
  absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(sockets.b.get(), 64, 4);
  ASSERT_THAT(received, IsOk());
  EXPECT_TRUE(received->data.empty());
  EXPECT_TRUE(received->fds.empty());
}

TEST(FdPassingTest, EachMessageIsReadWhole) {
  SocketPair sockets = MakeSocketPair();
  const std::string large(10000, 'a');
  ASSERT_THAT(SendWithFds(sockets.a.get(), large, {}), IsOk());
  ASSERT_THAT(SendWithFds(sockets.a.get(), "bc", {}), IsOk());
  absl::StatusOr<ReceivedMessage> first = ReceiveWithFds(sockets.b.get(), 64 * 1024, 1);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->data, large);
  absl::StatusOr<ReceivedMessage> second = ReceiveWithFds(sockets.b.get(), 64 * 1024, 1);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->data, "bc");
}

TEST(FdPassingTest, AMessageLongerThanTheLimitIsAnError) {
  SocketPair sockets = MakeSocketPair();
  ASSERT_THAT(SendWithFds(sockets.a.get(), "hello", {}), IsOk());
  EXPECT_THAT(ReceiveWithFds(sockets.b.get(), 4, 1),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("longer than 4 bytes")));
}

// The peer queued its last message and exited with one of ours unread: the
// kernel reports ECONNRESET once, then what the peer queued, then the end.
TEST(FdPassingTest, AResetIsReadPastToThePeersLastMessage) {
  SocketPair sockets = MakeSocketPair();
  ASSERT_THAT(SendWithFds(sockets.a.get(), "last words", {}), IsOk());
  ASSERT_THAT(SendWithFds(sockets.b.get(), "unread", {}), IsOk());
  sockets.a.Reset();
  absl::StatusOr<ReceivedMessage> last = ReceiveWithFds(sockets.b.get(), 64, 1);
  ASSERT_THAT(last, IsOk());
  EXPECT_EQ(last->data, "last words");
  absl::StatusOr<ReceivedMessage> end = ReceiveWithFds(sockets.b.get(), 64, 1);
  ASSERT_THAT(end, IsOk());
  EXPECT_TRUE(end->data.empty());
}

TEST(FdPassingTest, SendMessageWithFdsLeavesTheErrnoToTheCaller) {
  SocketPair sockets = MakeSocketPair();
  sockets.b.Reset();
  errno = 0;
  EXPECT_EQ(SendMessageWithFds(sockets.a.get(), "x", {}), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(SendMessageWithFds(sockets.a.get(), "", {}), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(FdPassingTest, SendingToAClosedPeerIsAnErrorNotASignal) {
  SocketPair sockets = MakeSocketPair();
  sockets.b.Reset();
  EXPECT_THAT(SendWithFds(sockets.a.get(), "x", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("Broken pipe")));
}

TEST(FdPassingTest, MoreFdsThanExpectedIsAnErrorAndClosesThem) {
  SocketPair sockets = MakeSocketPair();
  ASSERT_THAT(SendWithFds(sockets.a.get(), "x", {0, 1, 2}), IsOk());
  EXPECT_THAT(ReceiveWithFds(sockets.b.get(), 64, 1),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("more than 1 fds")));
}

TEST(FdPassingTest, RefusesEmptyDataAndTooManyFds) {
  SocketPair sockets = MakeSocketPair();
  EXPECT_THAT(SendWithFds(sockets.a.get(), "", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least one byte")));
  std::vector<int> many(kMaxPassedFds + 1, 0);
  EXPECT_THAT(SendWithFds(sockets.a.get(), "x", many),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("254 fds")));
}

}  // namespace
}  // namespace hull
