#include "runtime/seccomp/agent.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/fd.h"
#include "base/fd_passing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// Bazel's TEST_TMPDIR is longer than a unix socket path may be.
class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char directory[] = "/tmp/hull-agent-test-XXXXXX";
    ASSERT_NE(mkdtemp(directory), nullptr) << strerror(errno);
    directory_ = directory;
  }
  void TearDown() override {
    unlink(SocketPath("agent.sock").c_str());
    rmdir(directory_.c_str());
  }
  std::string SocketPath(const char* name) const { return directory_ + "/" + name; }

  std::string directory_;
};

UniqueFd Listen(const std::string& path) {
  unlink(path.c_str());
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{.sun_family = AF_UNIX};
  strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd.get(), 1) != 0) {
    return UniqueFd();
  }
  return fd;
}

TEST_F(AgentTest, TheAgentGetsTheStateAndTheListenerInOneMessage) {
  const std::string path = SocketPath("agent.sock");
  UniqueFd server = Listen(path);
  ASSERT_TRUE(server.valid()) << strerror(errno);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  // The connection waits in the backlog: the send completes before accept.
  ASSERT_THAT(SendListenerToAgent(path, R"({"fds":["seccompFd"]})", write_end.get()), IsOk());
  UniqueFd connection(accept4(server.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(connection.valid()) << strerror(errno);
  absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(connection.get(), 4096, 4);
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->data, R"({"fds":["seccompFd"]})");
  ASSERT_EQ(received->fds.size(), 1u);
  ASSERT_EQ(write(received->fds[0].get(), "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(read(read_end.get(), &byte, 1), 1);
}

TEST_F(AgentTest, NoAgentListeningIsAnErrorNamingThePath) {
  const std::string path = SocketPath("nobody.sock");
  EXPECT_THAT(SendListenerToAgent(path, "{}", 0),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("seccomp agent at linux.seccomp.listenerPath \"" + path +
                                 "\": connect")));
  EXPECT_THAT(SendListenerToAgent(std::string(200, 'a'), "{}", 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("longer than a unix socket path")));
}

}  // namespace
}  // namespace hull::runtime::seccomp
