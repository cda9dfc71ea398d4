// Checkpoint and restore of a container with a terminal (process.terminal),
// in the VM, where CRIU 3.17 works on Linux 6.1: the restored shell is the
// same process, its variables kept, on a new pty whose master restore sends
// to --console-socket (CRIU's orphan-pts-master), as a checkpoint of
// podman's `-t` containers needs.
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/console_socket_listener.h"
#include "testing/integration/hull_harness.h"
#include "testing/terminal_user.h"

namespace hull::testing {
namespace {

// Debian's, where the test's PATH may not reach.
constexpr char kCriu[] = "/usr/sbin/criu";

class CheckpointTerminalTest : public HullTest {};

TEST_F(CheckpointTerminalTest, TheRestoredShellAnswersOnTheNewPtysMaster) {
  absl::StatusOr<ConsoleSocketListener> listener = ConsoleSocketListener::Listen();
  ASSERT_TRUE(listener.ok()) << listener.status();
  config::Spec spec = ContainerSpec({"sh"});
  spec.mutable_process()->set_terminal(true);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  ASSERT_TRUE(Create(**bundle, id, {"--console-socket", listener->path()}));
  absl::StatusOr<UniqueFd> master = listener->ReceiveMaster();
  ASSERT_TRUE(master.ok()) << master.status();
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  TerminalUser user(master->get());
  ASSERT_TRUE(user.Type("x=$((6*7)); echo X${x}Y\n"));
  ASSERT_TRUE(user.WaitFor("X42Y\r\n")) << user.shown();

  absl::StatusOr<std::string> images = MakeTempDir("images");
  ASSERT_TRUE(images.ok()) << images.status();
  HullResult dumped = Hull({"--criu", kCriu, "checkpoint", "--image-path", *images, id},
                           {.timeout = absl::Minutes(3)});
  ASSERT_EQ(dumped.exit_code, 0) << dumped;
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");

  const std::string restored_id = NewId();
  HullResult restored =
      Hull({"--criu", kCriu, "restore", "--detach", "--console-socket", listener->path(),
            "--image-path", *images, "--bundle", (*bundle)->path(), restored_id},
           {.timeout = absl::Minutes(3)});
  ASSERT_EQ(restored.exit_code, 0) << restored;
  absl::StatusOr<UniqueFd> restored_master = listener->ReceiveMaster();
  ASSERT_TRUE(restored_master.ok()) << restored_master.status();
  TerminalUser restored_user(restored_master->get());
  // The same shell: its variable survived; the new pty is its terminal.
  ASSERT_TRUE(restored_user.Type("echo R${x}S; tty\n"));
  EXPECT_TRUE(restored_user.WaitFor("R42S\r\n", absl::Seconds(30))) << restored_user.shown();
  ASSERT_TRUE(restored_user.Type("exit 3\n"));
  EXPECT_EQ(WaitForStatus(restored_id, "stopped"), "stopped");
  EXPECT_EQ(Hull({"delete", restored_id}).exit_code, 0);
  EXPECT_EQ(Hull({"delete", id}).exit_code, 0);
}

}  // namespace
}  // namespace hull::testing
