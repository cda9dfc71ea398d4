#include "runtime/console/console_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::console {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// A console socket's listener, as a receiver (conmon, containerd's shim,
// recvtty) makes one. Under /tmp: a unix socket path has at most 107 bytes.
class ConsoleSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = testing::MakeTempDir("console", "/tmp");
    ASSERT_THAT(dir, IsOk());
    dir_ = *dir;
    path_ = dir_ + "/console.sock";
    listener_.Reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(listener_.valid()) << strerror(errno);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path_.size(), sizeof(address.sun_path));
    std::memcpy(address.sun_path, path_.data(), path_.size());
    ASSERT_EQ(bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
        << strerror(errno);
    ASSERT_EQ(listen(listener_.get(), 1), 0) << strerror(errno);
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    pipe_read_.Reset(fds[0]);
    pipe_write_.Reset(fds[1]);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  // Whether `fd` is the write end of the test's pipe: what goes in comes out
  // of its read end.
  void ExpectThePipesWriteEnd(int fd) {
    ASSERT_EQ(write(fd, "x", 1), 1) << strerror(errno);
    char byte = 0;
    ASSERT_EQ(read(pipe_read_.get(), &byte, 1), 1);
    EXPECT_EQ(byte, 'x');
  }

  std::string dir_;
  std::string path_;
  UniqueFd listener_;
  UniqueFd pipe_read_;
  UniqueFd pipe_write_;
};

// What runc's utils.RecvFd (and so recvtty and containerd's shim) accepts:
// one recvmsg into a 4096-byte buffer and room for exactly one fd; fewer
// than 4096 bytes of name, exactly that much control data, one SCM_RIGHTS
// message with one fd.
TEST_F(ConsoleSocketTest, WhatRuncsRecvFdAccepts) {
  absl::StatusOr<UniqueFd> sender = ConnectConsoleSocket(path_);
  ASSERT_THAT(sender, IsOk());
  ASSERT_THAT(SendPtyMaster(sender->get(), pipe_write_.get()), IsOk());
  // containerd's shim accepts only once `create` has returned: what was sent
  // waits in the socket.
  sender->Reset();
  UniqueFd connection(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(connection.valid()) << strerror(errno);

  std::vector<char> name(4096);
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  iovec iov = {.iov_base = name.data(), .iov_len = name.size()};
  msghdr message = {};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  const ssize_t n = recvmsg(connection.get(), &message, MSG_CMSG_CLOEXEC);
  ASSERT_GT(n, 0) << strerror(errno);
  EXPECT_LT(n, 4096);
  EXPECT_EQ(std::string(name.data(), static_cast<size_t>(n)), "/dev/pts/ptmx");
  EXPECT_EQ(message.msg_controllen, CMSG_SPACE(sizeof(int)));
  EXPECT_EQ(message.msg_flags & (MSG_TRUNC | MSG_CTRUNC), 0);
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->cmsg_level, SOL_SOCKET);
  EXPECT_EQ(header->cmsg_type, SCM_RIGHTS);
  ASSERT_EQ(header->cmsg_len, CMSG_LEN(sizeof(int)));
  int passed;
  std::memcpy(&passed, CMSG_DATA(header), sizeof(int));
  UniqueFd master(passed);
  EXPECT_EQ(CMSG_NXTHDR(&message, header), nullptr);
  ExpectThePipesWriteEnd(master.get());
}

TEST_F(ConsoleSocketTest, ReceivePtyMasterTakesWhatSendPtyMasterSent) {
  absl::StatusOr<UniqueFd> sender = ConnectConsoleSocket(path_);
  ASSERT_THAT(sender, IsOk());
  UniqueFd connection(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(connection.valid()) << strerror(errno);
  ASSERT_THAT(SendPtyMaster(sender->get(), pipe_write_.get()), IsOk());
  absl::StatusOr<UniqueFd> master = ReceivePtyMaster(connection.get());
  ASSERT_THAT(master, IsOk());
  EXPECT_EQ(fcntl(master->get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ExpectThePipesWriteEnd(master->get());
}

TEST_F(ConsoleSocketTest, ReceivePtyMasterRefusesAnythingButOneFd) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  UniqueFd sender(pair[0]), receiver(pair[1]);
  ASSERT_EQ(write(sender.get(), "/dev/pts/ptmx", 13), 13);
  EXPECT_THAT(ReceivePtyMaster(receiver.get()),
              StatusIs(absl::StatusCode::kDataLoss,
                       "receive a pty master: a message of 13 bytes with 0 fds instead of one"));
  sender.Reset();
  EXPECT_THAT(ReceivePtyMaster(receiver.get()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("closed first")));
}

TEST_F(ConsoleSocketTest, ConnectNamesWhatFailed) {
  const std::string missing = dir_ + "/none.sock";
  EXPECT_THAT(ConnectConsoleSocket(missing),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("connect to the console socket \"", missing,
                                    "\": No such file or directory")));
  const std::string long_path = "/tmp/" + std::string(200, 'x');
  EXPECT_THAT(ConnectConsoleSocket(long_path),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 to 107 bytes")));
}

}  // namespace
}  // namespace hull::console
