#include "tools/launcher/state_command.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/oci_state.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "testing/files.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using StateCommandTest = VerbTest;

TEST_F(StateCommandTest, PrintsTheOciStateOfAStoppedContainer) {
  // A stopped container has no process to reconcile with: its state alone.
  statemachine::ContainerState stopped;
  stopped.set_id("web");
  stopped.set_bundle("/bundles/web");
  stopped.set_status(statemachine::STATE_STOPPED);
  stopped.set_pid(4242);
  stopped.mutable_config()->mutable_root()->set_path("rootfs");
  // As Runtime::Create saves it: `state` reads no config.
  stopped.set_rootfs(runtime::RootfsPath(stopped));
  statemachine::StateStore store(root());
  ASSERT_THAT(store.Create(stopped), IsOk());

  const VerbResult result = Run(StateCommand(), {"web"});
  ASSERT_THAT(result.exit_code, IsOkAndHolds(0));
  EXPECT_TRUE(absl::StartsWith(result.out, "{\n")) << result.out;
  EXPECT_THAT(result.out, HasSubstr("\"id\": \"web\""));
  EXPECT_THAT(result.out, HasSubstr("\"status\": \"stopped\""));
  EXPECT_THAT(result.out, HasSubstr("\"rootfs\": \"/bundles/web/rootfs\""));
  // The spec: a pid only while the container has a process.
  EXPECT_THAT(result.out, Not(HasSubstr("4242")));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(StateCommandTest, AnUnreadableStateNamesItsFile) {
  statemachine::ContainerState state;
  state.set_id("web");
  state.set_status(statemachine::STATE_STOPPED);
  statemachine::StateStore store(root());
  ASSERT_THAT(store.Create(state), IsOk());
  ASSERT_THAT(testing::WriteFile(store.StateFilePath("web"), "status: NOT_A_STATE"), IsOk());
  EXPECT_THAT(Run(StateCommand(), {"web"}).exit_code,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(store.StateFilePath("web"))));
}

}  // namespace
}  // namespace hull::launcher
