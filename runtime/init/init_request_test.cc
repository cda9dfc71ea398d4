#include "runtime/init/init_request.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gtest/gtest.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;

UniqueFd OpenDevNull() { return UniqueFd(open("/dev/null", O_RDONLY | O_CLOEXEC)); }

// Copies of `fds`, as a receiver gets them.
std::vector<UniqueFd> Copies(const std::vector<int>& fds) {
  std::vector<UniqueFd> copies;
  for (const int fd : fds) copies.emplace_back(fcntl(fd, F_DUPFD_CLOEXEC, 10));
  return copies;
}

class InitRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sockets[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets), 0);
    channel_.emplace(UniqueFd(sockets[0]), "container init");
    peer_ = UniqueFd(sockets[1]);
    spec_.set_hostname("packed");
    spec_.mutable_process()->add_args("/bin/true");
  }

  config::Spec spec_;
  std::optional<channel::SyncChannel> channel_;
  UniqueFd peer_;
  UniqueFd fifo_ = OpenDevNull();
  UniqueFd log_ = OpenDevNull();
};

TEST_F(InitRequestTest, AnInitsContextCrossesWithItsFdsInOrder) {
  const UniqueFd stdin_copy = OpenDevNull(), stdout_copy = OpenDevNull(),
                 stderr_copy = OpenDevNull(), preserved = OpenDevNull();
  const int inherited[] = {stdin_copy.get(), stdout_copy.get(), stderr_copy.get(), preserved.get()};
  const UniqueFd sealed_exe = OpenDevNull();
  InitContext context{.spec = spec_,
                      .container_id = "c1",
                      .rootfs = "/bundle/rootfs",
                      .no_pivot = true,
                      .preserve_fds = 1,
                      .channel = *channel_,
                      .exec_fifo_fd = fifo_.get(),
                      .cgroup_joined_by_launcher = true,
                      .launcher_in_user_namespace = true,
                      .log_fd = log_.get(),
                      .inherited_fds = inherited,
                      .sealed_exe_fd = sealed_exe.get()};
  absl::StatusOr<PackedInit> packed = PackInit(context);
  ASSERT_THAT(packed, IsOk());
  EXPECT_EQ(packed->fds,
            (std::vector<int>{packed->memfd.get(), channel_->fd(), fifo_.get(), log_.get(),
                              sealed_exe.get(), stdin_copy.get(), stdout_copy.get(),
                              stderr_copy.get(), preserved.get()}));

  absl::StatusOr<std::unique_ptr<UnpackedInit>> unpacked = UnpackedInit::Unpack(Copies(packed->fds));
  ASSERT_THAT(unpacked, IsOk());
  const InitContext& got = (*unpacked)->context();
  EXPECT_EQ(got.spec.hostname(), "packed");
  EXPECT_EQ(got.container_id, "c1");
  EXPECT_EQ(got.rootfs, "/bundle/rootfs");
  EXPECT_TRUE(got.no_pivot);
  EXPECT_EQ(got.preserve_fds, 1);
  EXPECT_GE(got.exec_fifo_fd, 4);
  EXPECT_GE(got.log_fd, 4);
  // Handed over to the init, which closes it.
  const UniqueFd got_sealed_exe(got.sealed_exe_fd);
  EXPECT_GE(got_sealed_exe.get(), 4);
  EXPECT_EQ(fcntl(got_sealed_exe.get(), F_GETFD), FD_CLOEXEC);
  EXPECT_EQ(got.cgroup2_directory_fd, -1);
  EXPECT_TRUE(got.cgroup_joined_by_launcher);
  EXPECT_TRUE(got.launcher_in_user_namespace);
  EXPECT_EQ(got.container_init_pidfd, -1);
  ASSERT_EQ(got.inherited_fds.size(), 4u);
  // The channel is the other end of the peer's socket.
  ASSERT_EQ(write(peer_.get(), "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(read(got.channel.fd(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
}

TEST_F(InitRequestTest, InheritedFdsInPlaceStayThere) {
  InitContext context{.spec = spec_, .channel = *channel_, .exec_fifo_fd = fifo_.get()};
  absl::StatusOr<PackedInit> packed = PackInit(context);
  ASSERT_THAT(packed, IsOk());
  ASSERT_EQ(packed->fds.size(), 6u);
  EXPECT_EQ(std::vector<int>(packed->fds.begin() + 3, packed->fds.end()),
            (std::vector<int>{0, 1, 2}));

  // As the re-executed process has them: the same numbers.
  std::vector<UniqueFd> same;
  for (int i = 0; i < 3; ++i) same.emplace_back(fcntl(packed->fds[i], F_DUPFD_CLOEXEC, 10));
  for (int fd = 0; fd < 3; ++fd) same.emplace_back(fd);
  absl::StatusOr<std::unique_ptr<UnpackedInit>> unpacked = UnpackedInit::Unpack(std::move(same));
  ASSERT_THAT(unpacked, IsOk());
  EXPECT_TRUE((*unpacked)->context().inherited_fds.empty());
  unpacked->reset();
  // Not closed by the request: they are the process's stdio.
  for (int fd = 0; fd < 3; ++fd) EXPECT_NE(fcntl(fd, F_GETFD), -1) << fd;
}

TEST_F(InitRequestTest, AWrongNumberOfFdsIsRefused) {
  InitContext context{.spec = spec_, .channel = *channel_, .exec_fifo_fd = fifo_.get()};
  absl::StatusOr<PackedInit> packed = PackInit(context);
  ASSERT_THAT(packed, IsOk());
  std::vector<int> fewer(packed->fds.begin(), packed->fds.end() - 1);
  EXPECT_THAT(UnpackedInit::Unpack(Copies(fewer)),
              StatusIs(absl::StatusCode::kInvalidArgument, "an init request with 5 fds, expected 6"));
}

TEST_F(InitRequestTest, AnUnparsableRequestIsRefused) {
  std::vector<UniqueFd> fds;
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  ASSERT_EQ(write(pipe_fds[1], "\xff\xff\xff", 3), 3);
  close(pipe_fds[1]);
  fds.emplace_back(pipe_fds[0]);
  EXPECT_THAT(UnpackedInit::Unpack(std::move(fds)),
              StatusIs(absl::StatusCode::kInvalidArgument, "the init request does not parse"));
}

}  // namespace
}  // namespace hull::runtime
