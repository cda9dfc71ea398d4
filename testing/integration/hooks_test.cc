// The six OCI hooks through the CLI, on real containers. Each recording hook
// writes what it read on stdin, the mount and pid namespaces it ran in and its
// working directory to a markers directory (the host's, mounted at /markers in
// the container for startContainer, which runs there), and appends its kind
// to one order file: the tests check when each kind runs, what state it is
// given (runc's bytes, the status and pid the spec gives that kind) and where
// it runs, and what a failing hook of each kind does.
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "runtime/oci_state.pb.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kPath[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
// Where the markers directory is in the container.
constexpr char kContainerMarkers[] = "/markers";

// The link /proc/self/ns/NAME reads as for the caller, or for `pid`.
std::string Namespace(const std::string& name, pid_t pid = 0) {
  const std::string path =
      absl::StrCat("/proc/", pid == 0 ? std::string("self") : absl::StrCat(pid), "/ns/", name);
  char target[64] = {};
  const ssize_t length = readlink(path.c_str(), target, sizeof(target) - 1);
  return length > 0 ? std::string(target, static_cast<size_t>(length)) : "unreadable " + path;
}

// `/bin/sh -c script` with a PATH (a hook gets exactly the environment given).
config::Hook Shell(const std::string& script) {
  config::Hook hook;
  hook.set_path("/bin/sh");
  hook.add_args("sh");
  hook.add_args("-c");
  hook.add_args(script);
  hook.add_env(kPath);
  return hook;
}

// Puts, before the hooks of `list`, one that fails saying `why` on stderr.
void PrependFailingHook(google::protobuf::RepeatedPtrField<config::Hook>& list,
                        const std::string& why) {
  *list.Add() = Shell(absl::StrCat("echo ", why, " >&2; exit 1"));
  for (int i = list.size() - 1; i > 0; --i) list.SwapElements(i, i - 1);
}

class HooksTest : public HullTest {
 protected:
  void SetUp() override {
    HullTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> markers = MakeTempDir("markers");
    ASSERT_TRUE(markers.ok()) << markers.status();
    markers_ = *markers;
    absl::StatusOr<std::set<std::string>> mounts = HostMounts();
    ASSERT_TRUE(mounts.ok()) << mounts.status();
    mounts_before_ = *mounts;
  }

  // A hook of `kind` recording what it read and where it ran, then running
  // `then` (a shell command). The startContainer hook runs in the container,
  // and writes to the markers through /markers.
  config::Hook Recorder(const std::string& kind, const std::string& then = "true") const {
    const std::string dir = kind == "startContainer" ? kContainerMarkers : markers_;
    const std::string to = absl::StrCat(dir, "/", kind);
    return Shell(absl::StrCat("cat > ", to, ".json; echo ", kind, " >> ", dir,
                              "/order; { readlink /proc/self/ns/mnt; readlink /proc/self/ns/pid; } "
                              "> ",
                              to, ".ns; pwd > ", to, ".cwd; ", then));
  }

  // runc's default config running `args`, with the markers at /markers and a
  // recording hook of each of the six kinds.
  config::Spec RecordingSpec(std::vector<std::string> args) const {
    config::Spec spec = ContainerSpec(std::move(args));
    AddMount(spec, kContainerMarkers, "bind", markers_, {"rbind", "rw"});
    config::Hooks& hooks = *spec.mutable_hooks();
    *hooks.add_prestart() = Recorder("prestart");
    *hooks.add_create_runtime() = Recorder("createRuntime");
    *hooks.add_create_container() = Recorder("createContainer");
    *hooks.add_start_container() = Recorder("startContainer");
    *hooks.add_poststart() = Recorder("poststart");
    *hooks.add_poststop() = Recorder("poststop");
    return spec;
  }

  std::string Marker(const std::string& name) const { return absl::StrCat(markers_, "/", name); }

  // The kinds of the hooks that ran, in order.
  std::vector<std::string> Order() const { return Lines(ReadFile(Marker("order")).value_or("")); }

  // What the hook of `kind` read on stdin.
  std::string StateRead(const std::string& kind) const {
    return ReadFile(Marker(kind + ".json")).value_or("(no state recorded)");
  }

  // The same, parsed.
  runtime::HookState ParsedStateRead(const std::string& kind) const {
    runtime::HookState state;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(StateRead(kind), &state).ok())
        << kind << " read: " << StateRead(kind);
    return state;
  }

  // The mount and pid namespaces the hook of `kind` ran in.
  std::vector<std::string> NamespacesOf(const std::string& kind) const {
    return Lines(ReadFile(Marker(kind + ".ns")).value_or(""));
  }

  // Nothing of the container `id` made from `bundle` is left: no state, no
  // process, no cgroup, no host mount.
  void ExpectNothingLeft(const Bundle& bundle, const std::string& id) {
    HullTest::ExpectNothingLeft(bundle, id, mounts_before_);
  }

  std::string markers_;

 private:
  std::set<std::string> mounts_before_;
};

// Create runs prestart, createRuntime (on the host) and createContainer (in
// the container, before pivot_root); start runs startContainer (in the
// container, before the exec) and poststart; delete runs poststop. Each reads
// runc's bytes with the status and pid the spec gives it: the host's pid of
// the init on the host, the container's (1) in the container.
TEST_F(HooksTest, AllSixRunInOrderWithTheirStateAndInTheirNamespaces) {
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  (*spec.mutable_annotations())["org.example.hooks"] = "six";
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();

  ASSERT_TRUE(Create(**bundle, id));
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer"));
  absl::StatusOr<runtime::OciState> created = State(id);
  ASSERT_TRUE(created.ok()) << created.status();
  const pid_t pid = created->pid();
  ASSERT_GT(pid, 0);
  const std::vector<std::string> container_namespaces = {Namespace("mnt", pid),
                                                         Namespace("pid", pid)};

  HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart"));
  HullResult killed = Hull({"kill", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart"))
      << "only delete runs poststop";
  HullResult deleted = Hull({"delete", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart", "poststop"));

  const std::string head = absl::StrCat(R"({"ociVersion":"1.2.0","id":")", id, R"(","status":")");
  const std::string tail = absl::StrCat(R"("bundle":")", (*bundle)->path(),
                                        R"(","annotations":{"org.example.hooks":"six"}})");
  EXPECT_EQ(StateRead("prestart"), absl::StrCat(head, R"(creating","pid":)", pid, ",", tail));
  EXPECT_EQ(StateRead("createRuntime"), absl::StrCat(head, R"(creating","pid":)", pid, ",", tail));
  EXPECT_EQ(StateRead("createContainer"), absl::StrCat(head, R"(creating","pid":1,)", tail));
  EXPECT_EQ(StateRead("startContainer"), absl::StrCat(head, R"(created","pid":1,)", tail));
  EXPECT_EQ(StateRead("poststart"), absl::StrCat(head, R"(running","pid":)", pid, ",", tail));
  EXPECT_EQ(StateRead("poststop"), absl::StrCat(head, R"(stopped",)", tail));

  const std::vector<std::string> host_namespaces = {Namespace("mnt"), Namespace("pid")};
  ASSERT_NE(host_namespaces, container_namespaces);
  for (const char* kind : {"prestart", "createRuntime", "poststart", "poststop"}) {
    EXPECT_EQ(NamespacesOf(kind), host_namespaces) << kind << " ran outside the host's namespaces";
  }
  for (const char* kind : {"createContainer", "startContainer"}) {
    EXPECT_EQ(NamespacesOf(kind), container_namespaces)
        << kind << " ran outside the container's namespaces";
  }
  // Where runc runs them: create's in the bundle, createContainer in the
  // rootfs (before pivot_root), startContainer in the process's cwd.
  EXPECT_EQ(ReadFile(Marker("prestart.cwd")).value_or(""), (*bundle)->path() + "\n");
  EXPECT_EQ(ReadFile(Marker("createRuntime.cwd")).value_or(""), (*bundle)->path() + "\n");
  EXPECT_EQ(ReadFile(Marker("createContainer.cwd")).value_or(""), (*bundle)->rootfs() + "\n");
  EXPECT_EQ(ReadFile(Marker("startContainer.cwd")).value_or(""), "/\n");
}

// A createRuntime hook that fails fails create; the container is undone and,
// as the spec goes on to delete (and runc does), its poststop hooks run.
TEST_F(HooksTest, AFailingCreateRuntimeHookFailsCreateAndLeavesNothing) {
  const std::string id = NewId();
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  // The hook proves that the container's cgroup existed while it ran.
  *spec.mutable_hooks()->mutable_create_runtime(0) = Recorder(
      "createRuntime", absl::StrCat("ls -d /sys/fs/cgroup/*/hull/", id, " > ", Marker("cgroups"),
                                    "; echo out; echo boom >&2; exit 1"));
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();

  HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(created.exit_code, 1) << created;
  EXPECT_THAT(created.err, HasSubstr("error running createRuntime hook #0: error running hook: "
                                     "exit status 1, stdout: out\n, stderr: boom\n"));
  // Killed by the launcher, the init does not report the end of its channel.
  EXPECT_THAT(created.err, Not(HasSubstr("hull init"))) << created;
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "poststop"));
  EXPECT_THAT(Lines(ReadFile(Marker("cgroups")).value_or("")), Not(IsEmpty()));
  const runtime::HookState seen = ParsedStateRead("createRuntime");
  ASSERT_GT(seen.pid(), 0);
  EXPECT_TRUE(ProcessIsDead(seen.pid())) << "the init " << seen.pid() << " outlived the create";
  EXPECT_EQ(ParsedStateRead("poststop").status(), "stopped");
  ExpectNothingLeft(**bundle, id);
}

// The same from inside the container: the init reports the createContainer
// hook's failure, and nothing is left.
TEST_F(HooksTest, AFailingCreateContainerHookFailsCreateAndLeavesNothing) {
  const std::string id = NewId();
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  *spec.mutable_hooks()->mutable_create_container(0) =
      Recorder("createContainer", "echo no mounts for you >&2; exit 7");
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();

  HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
  EXPECT_EQ(created.exit_code, 1) << created;
  EXPECT_THAT(created.err,
              HasSubstr("container init failed to run the createContainer hooks: error running "
                        "createContainer hook #0: error running hook: exit status 7, stdout: , "
                        "stderr: no mounts for you\n"));
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "poststop"));
  EXPECT_EQ(ParsedStateRead("createContainer").pid(), 1);
  const runtime::HookState init = ParsedStateRead("createRuntime");
  ASSERT_GT(init.pid(), 0);
  EXPECT_TRUE(ProcessIsDead(init.pid())) << "the init " << init.pid() << " outlived the create";
  ExpectNothingLeft(**bundle, id);
}

TEST_F(HooksTest, AHookPastItsTimeoutIsKilledAndFailsCreate) {
  const std::string id = NewId();
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  config::Hook& slow = *spec.mutable_hooks()->mutable_create_runtime(0);
  slow = Recorder("createRuntime", "echo waiting; exec sleep 100");
  slow.set_timeout(1);
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();

  const absl::Time start = absl::Now();
  HullResult created = Hull({"create", "--bundle", (*bundle)->path(), id});
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(created.exit_code, 1) << created;
  EXPECT_THAT(created.err, HasSubstr("error running createRuntime hook #0: hook ran past specified "
                                     "timeout of 1.0s, stdout: waiting\n, stderr: "));
  EXPECT_GE(took, absl::Seconds(1));
  EXPECT_LT(took, absl::Seconds(10));
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "poststop"));
  ExpectNothingLeft(**bundle, id);
}

// A poststart hook's failure is a warning: start succeeds, the hooks after it
// run, and the container keeps running.
TEST_F(HooksTest, AFailingPoststartHookLeavesTheContainerRunning) {
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  PrependFailingHook(*spec.mutable_hooks()->mutable_poststart(), "poststart says no");
  const std::string id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(Create(**bundle, id));

  HullResult started = Hull({"start", id});
  EXPECT_EQ(started.exit_code, 0) << started;
  EXPECT_THAT(started.err, HasSubstr("level=warning"));
  EXPECT_THAT(started.err, HasSubstr("error running poststart hook #0: error running hook: exit "
                                     "status 1, stdout: , stderr: poststart says no"));
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart"));
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->status(), "running");
  EXPECT_FALSE(ProcessIsDead(state->pid()));
}

// A startContainer hook that fails fails start with its error (the spec:
// "generate an error, stop the container"; runc only prints it on the
// container's stderr): the init exits before the exec, poststart does not
// run, and delete still runs poststop.
TEST_F(HooksTest, AFailingStartContainerHookFailsStartAndStopsTheContainer) {
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  *spec.mutable_hooks()->mutable_start_container(0) =
      Recorder("startContainer", "echo not today >&2; exit 2");
  const std::string id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(Create(**bundle, id));
  absl::StatusOr<runtime::OciState> created = State(id);
  ASSERT_TRUE(created.ok()) << created.status();

  HullResult started = Hull({"start", id});
  EXPECT_EQ(started.exit_code, 1) << started;
  EXPECT_THAT(started.err,
              HasSubstr("container init failed to run the startContainer hooks: error running "
                        "startContainer hook #0: error running hook: exit status 2, stdout: , "
                        "stderr: not today\n"));
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  EXPECT_TRUE(ProcessIsDead(created->pid()));
  EXPECT_THAT(Order(),
              ElementsAre("prestart", "createRuntime", "createContainer", "startContainer"));

  HullResult deleted = Hull({"delete", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststop"));
  ExpectNothingLeft(**bundle, id);
}

// `run` prints a failing startContainer hook's error once: the init, which
// reported it to the launcher, does not print it again on the stderr it
// shares with it.
TEST_F(HooksTest, RunPrintsAFailingStartContainerHookOnce) {
  config::Spec spec = RecordingSpec({"sleep", "1000"});
  *spec.mutable_hooks()->mutable_start_container(0) =
      Recorder("startContainer", "echo not today >&2; exit 2");
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();

  HullResult ran = RunBundle(**bundle);
  EXPECT_EQ(ran.exit_code, 1) << ran;
  EXPECT_EQ(Lines(ran.err),
            std::vector<std::string>({"container init failed to run the startContainer hooks: "
                                      "error running startContainer hook #0: error running hook: "
                                      "exit status 2, stdout: , stderr: not today"}))
      << ran;
}

// A poststop hook's failure is a warning: delete succeeds and the hooks after
// it run.
TEST_F(HooksTest, AFailingPoststopHookStillDeletes) {
  config::Spec spec = RecordingSpec({"true"});
  PrependFailingHook(*spec.mutable_hooks()->mutable_poststop(), "poststop says no");
  const std::string id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(Create(**bundle, id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");

  HullResult deleted = Hull({"delete", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(deleted.err, HasSubstr("level=warning"));
  EXPECT_THAT(deleted.err, HasSubstr("error running poststop hook #0: error running hook: exit "
                                     "status 1, stdout: , stderr: poststop says no"));
  EXPECT_THAT(Order(), ElementsAre("prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart", "poststop"));
  ExpectNothingLeft(**bundle, id);
}

}  // namespace
}  // namespace hull::testing
