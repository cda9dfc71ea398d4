#include "runtime/oci_state.h"

#include <pwd.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "statemachine/state.pb.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOkAndHolds;

statemachine::ContainerState RunningState() {
  statemachine::ContainerState state;
  state.set_id("web");
  state.set_status(statemachine::STATE_RUNNING);
  state.set_pid(4242);
  state.set_bundle("/srv/web");
  state.mutable_config()->mutable_root()->set_path("rootfs");
  state.set_created_unix_nanos(1700000000123456789);
  return state;
}

TEST(RootfsPathTest, ARelativeRootIsTheBundles) {
  statemachine::ContainerState state = RunningState();
  EXPECT_EQ(RootfsPath(state), "/srv/web/rootfs");
  state.mutable_config()->mutable_root()->set_path("/var/lib/roots/web");
  EXPECT_EQ(RootfsPath(state), "/var/lib/roots/web");
}

// The bytes `runc state` prints for such a container (runc 1.1.5: its field
// order, two-space indent, annotations left out when empty, owner "" for
// root, created with nanoseconds in UTC).
TEST(OciStateToJsonTest, PrintsWhatRuncPrints) {
  EXPECT_THAT(OciStateToJson(ToOciState(RunningState())), IsOkAndHolds(R"({
  "ociVersion": "1.2.0",
  "id": "web",
  "pid": 4242,
  "status": "running",
  "bundle": "/srv/web",
  "rootfs": "/srv/web/rootfs",
  "created": "2023-11-14T22:13:20.123456789Z",
  "owner": ""
})"));
}

TEST(OciStateToJsonTest, AStoppedContainerHasNoPidAndAnnotationsArePrinted) {
  statemachine::ContainerState state = RunningState();
  state.set_status(statemachine::STATE_STOPPED);
  state.mutable_owner()->set_user_name("alice");
  (*state.mutable_annotations())["org.example/key"] = "v";
  EXPECT_THAT(OciStateToJson(ToOciState(state), /*compact=*/true),
              IsOkAndHolds(R"({"ociVersion":"1.2.0","id":"web","pid":0,"status":"stopped",)"
                           R"("bundle":"/srv/web","rootfs":"/srv/web/rootfs",)"
                           R"("created":"2023-11-14T22:13:20.123456789Z",)"
                           R"("annotations":{"org.example/key":"v"},"owner":"alice"})"));
}

// A state names its owner by uid: the name is looked up when shown, as runc's
// list does; a uid /etc/passwd does not name has none.
TEST(ToOciStateTest, NamesANonRootOwnerFromThePasswdFile) {
  statemachine::ContainerState state = RunningState();
  state.mutable_owner()->set_uid(65534);
  struct passwd* nobody = getpwuid(65534);
  ASSERT_NE(nobody, nullptr) << "the test expects uid 65534 in /etc/passwd";
  EXPECT_EQ(ToOciState(state).owner(), nobody->pw_name);
  state.mutable_owner()->set_uid(3999999999u);
  EXPECT_EQ(ToOciState(state).owner(), "");
  state.mutable_owner()->set_uid(0);
  EXPECT_EQ(ToOciState(state).owner(), "");
}

// The bytes runc 1.1.5 writes on a hook's stdin (json.Marshal of
// specs.State): one line, status before pid, no rootfs, created or owner.
TEST(HookStateJsonTest, WritesWhatRuncWritesToHooks) {
  statemachine::ContainerState state = RunningState();
  (*state.mutable_annotations())["org.example/key"] = "v";
  EXPECT_THAT(HookStateJson(state, statemachine::STATE_CREATING, 1),
              IsOkAndHolds(R"({"ociVersion":"1.2.0","id":"web","status":"creating","pid":1,)"
                           R"("bundle":"/srv/web","annotations":{"org.example/key":"v"}})"));
}

TEST(HookStateJsonTest, LeavesOutAMissingPidAndEmptyAnnotations) {
  EXPECT_THAT(HookStateJson(RunningState(), statemachine::STATE_STOPPED, 0),
              IsOkAndHolds(R"({"ociVersion":"1.2.0","id":"web","status":"stopped",)"
                           R"("bundle":"/srv/web"})"));
}

// The message runc sends the seccomp agent (json.Marshal of
// specs.ContainerProcessState).
TEST(SeccompAgentStateJsonTest, WritesWhatRuncSendsTheAgent) {
  statemachine::ContainerState state = RunningState();
  state.mutable_config()->mutable_linux()->mutable_seccomp()->set_listener_metadata("m \"1\"");
  EXPECT_THAT(SeccompAgentStateJson(state, statemachine::STATE_RUNNING, 42, 77),
              IsOkAndHolds(R"({"ociVersion":"1.2.0","fds":["seccompFd"],"pid":77,)"
                           R"("metadata":"m \"1\"","state":{"ociVersion":"1.2.0","id":"web",)"
                           R"("status":"running","pid":42,"bundle":"/srv/web"}})"));
  state.mutable_config()->mutable_linux()->clear_seccomp();
  EXPECT_THAT(SeccompAgentStateJson(state, statemachine::STATE_CREATING, 42, 42),
              IsOkAndHolds(R"({"ociVersion":"1.2.0","fds":["seccompFd"],"pid":42,)"
                           R"("state":{"ociVersion":"1.2.0","id":"web","status":"creating",)"
                           R"("pid":42,"bundle":"/srv/web"}})"));
}

}  // namespace
}  // namespace hull::runtime
