#include "runtime/seccomp/agent.h"

#include <unistd.h>

#include <string>

#include "base/fd.h"
#include "base/fd_passing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/unix_listener.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::hull::testing::UnixListener;
using ::testing::HasSubstr;

TEST(AgentTest, TheAgentGetsTheStateAndTheListenerInOneMessage) {
  absl::StatusOr<UnixListener> agent = UnixListener::Create("agent.sock");
  ASSERT_THAT(agent, IsOk());
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  // The connection waits in the backlog: the send completes before accept.
  ASSERT_THAT(SendListenerToAgent(agent->path(), R"({"fds":["seccompFd"]})", write_end.get()),
              IsOk());
  absl::StatusOr<UniqueFd> connection = agent->Accept();
  ASSERT_THAT(connection, IsOk());
  absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(connection->get(), 4096, 4);
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->data, R"({"fds":["seccompFd"]})");
  ASSERT_EQ(received->fds.size(), 1u);
  ASSERT_EQ(write(received->fds[0].get(), "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(read(read_end.get(), &byte, 1), 1);
}

TEST(AgentTest, NoAgentListeningIsAnErrorNamingThePath) {
  absl::StatusOr<UnixListener> agent = UnixListener::Create("agent.sock");
  ASSERT_THAT(agent, IsOk());
  const std::string path = agent->directory() + "/nobody.sock";
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
