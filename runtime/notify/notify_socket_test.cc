#include "runtime/notify/notify_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "testing/status_matchers.h"

namespace hull::runtime::notify {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::ElementsAre;

// The host's socket, abstract ("@name"): TEST_TMPDIR's paths are too long
// for a unix socket address.
UniqueFd BoundAbstractSocket(const std::string& name) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(bind(socket.get(), reinterpret_cast<const sockaddr*>(&address),
                 offsetof(sockaddr_un, sun_path) + 1 + name.size()),
            0)
      << name << ": " << strerror(errno);
  return socket;
}

// A short path to the container's socket in `container_dir`, through an fd
// that `dir` keeps open.
std::string ContainerSocketPath(const std::string& container_dir, UniqueFd& dir) {
  dir = UniqueFd(open(HostDirectory(container_dir).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  EXPECT_TRUE(dir.valid()) << strerror(errno);
  return absl::StrCat("/proc/self/fd/", dir.get(), "/notify.sock");
}

void SendTo(const std::string& path, const std::string& message) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(sendto(socket.get(), message.data(), message.size(), 0,
                   reinterpret_cast<const sockaddr*>(&address), sizeof(address)),
            static_cast<ssize_t>(message.size()))
      << strerror(errno);
}

std::string Receive(int socket) {
  char buffer[4096];
  const ssize_t n = recv(socket, buffer, sizeof(buffer), MSG_DONTWAIT);
  return n < 0 ? "<none>" : std::string(buffer, n);
}

std::string TempDir(const std::string& name) {
  const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  EXPECT_EQ(mkdir(dir.c_str(), 0700), 0) << dir;
  return dir;
}

TEST(AddToSpec, BindsTheDirectoryAndReplacesNotifySocket) {
  config::Spec spec;
  spec.mutable_process()->add_env("PATH=/bin");
  spec.mutable_process()->add_env("NOTIFY_SOCKET=/elsewhere");
  AddToSpec(spec, "/run/hull/web");
  ASSERT_EQ(spec.mounts_size(), 1);
  EXPECT_EQ(spec.mounts(0).destination(), "/run/notify");
  EXPECT_EQ(spec.mounts(0).source(), "/run/hull/web/notify");
  EXPECT_EQ(spec.mounts(0).type(), "bind");
  EXPECT_THAT(spec.mounts(0).options(), ElementsAre("bind", "nosuid", "noexec", "nodev", "ro"));
  EXPECT_THAT(spec.process().env(),
              ElementsAre("PATH=/bin", "NOTIFY_SOCKET=/run/notify/notify.sock"));
}

TEST(HostMessage, ReadyGetsTheInitsPidAndTheContainersPidIsDropped) {
  bool ready = true;
  EXPECT_EQ(HostMessage("STATUS=starting", 42, ready), "STATUS=starting\n");
  EXPECT_FALSE(ready);
  EXPECT_EQ(HostMessage("READY=1\nMAINPID=1\nSTATUS=up\n", 42, ready),
            "READY=1\nSTATUS=up\nMAINPID=42\n");
  EXPECT_TRUE(ready);
  EXPECT_EQ(HostMessage("MAINPID=1", 42, ready), "");
  EXPECT_FALSE(ready);
}

TEST(RelayUntilReady, ForwardsEachMessageUntilReadyWithTheInitsPid) {
  const std::string container_dir = TempDir("relay");
  ASSERT_THAT(MakeHostDirectory(container_dir), IsOk());
  struct stat st;
  ASSERT_EQ(stat(HostDirectory(container_dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  absl::StatusOr<UniqueFd> container_socket = BindContainerSocket(container_dir);
  ASSERT_THAT(container_socket.status(), IsOk());
  ASSERT_EQ(stat((container_dir + "/notify/notify.sock").c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0777u);
  UniqueFd dir;
  const std::string socket_path = ContainerSocketPath(container_dir, dir);
  const std::string host_name = absl::StrCat("hull-notify-relay-", getpid());
  UniqueFd host = BoundAbstractSocket(host_name);
  absl::StatusOr<UniqueFd> self = nsenter::PidfdOpen(getpid());  // never exits here
  ASSERT_THAT(self.status(), IsOk());

  SendTo(socket_path, "STATUS=starting");
  SendTo(socket_path, "READY=1");
  SendTo(socket_path, "STATUS=after ready");
  EXPECT_THAT(RelayUntilReady(container_socket->get(), "@" + host_name, 4321, self->get()),
              IsOk());
  EXPECT_EQ(Receive(host.get()), "STATUS=starting\n");
  EXPECT_EQ(Receive(host.get()), "READY=1\nMAINPID=4321\n");
  EXPECT_EQ(Receive(host.get()), "<none>");  // the relay stopped at READY=
}

TEST(RelayUntilReady, StopsWhenTheInitExits) {
  const std::string container_dir = TempDir("exits");
  ASSERT_THAT(MakeHostDirectory(container_dir), IsOk());
  absl::StatusOr<UniqueFd> container_socket = BindContainerSocket(container_dir);
  ASSERT_THAT(container_socket.status(), IsOk());
  const std::string host_name = absl::StrCat("hull-notify-exits-", getpid());
  UniqueFd host = BoundAbstractSocket(host_name);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(child);
  ASSERT_THAT(pidfd.status(), IsOk());
  EXPECT_THAT(RelayUntilReady(container_socket->get(), "@" + host_name, child, pidfd->get()),
              IsOk());
  EXPECT_EQ(Receive(host.get()), "<none>");
  ASSERT_THAT(nsenter::PidfdWait(pidfd->get()).status(), IsOk());
}

TEST(RelayUntilReady, NoHostSocketIsAnError) {
  const std::string container_dir = TempDir("nohost");
  ASSERT_THAT(MakeHostDirectory(container_dir), IsOk());
  absl::StatusOr<UniqueFd> container_socket = BindContainerSocket(container_dir);
  ASSERT_THAT(container_socket.status(), IsOk());
  absl::StatusOr<UniqueFd> self = nsenter::PidfdOpen(getpid());
  ASSERT_THAT(self.status(), IsOk());
  EXPECT_THAT(RelayUntilReady(container_socket->get(), "/nonexistent/notify.sock", 1, self->get()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/notify.sock")));
}

}  // namespace
}  // namespace hull::runtime::notify
