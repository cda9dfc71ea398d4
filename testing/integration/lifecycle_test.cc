// The lifecycle through the CLI: create, start, state, kill, delete, run,
// list and ps, as runc's users drive them.
#include <signal.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr absl::Duration kWait = absl::Seconds(10);

class LifecycleTest : public HullTest {};

TEST_F(LifecycleTest, CreateStartKillDelete) {
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  absl::StatusOr<runtime::OciState> created = State(id);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->status(), "created");
  EXPECT_EQ(created->id(), id);
  const pid_t pid = created->pid();
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(ProcessIsDead(pid));

  HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;
  EXPECT_EQ(WaitForStatus(id, "running"), "running");

  HullResult killed = Hull({"kill", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  EXPECT_EQ(WaitForStatus(id, "stopped"), "stopped");
  EXPECT_TRUE(ProcessIsDead(pid));

  HullResult deleted = Hull({"delete", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  HullResult state = Hull({"state", id});
  EXPECT_EQ(state.exit_code, 1) << state;
  EXPECT_THAT(state.err, HasSubstr("container does not exist")) << state;
}

TEST_F(LifecycleTest, RunReturnsTheContainersExitCode) {
  HullResult result = RunContainer(ContainerSpec({"sh", "-c", "exit 7"}));
  EXPECT_EQ(result.exit_code, 7) << result;
}

TEST_F(LifecycleTest, RunReturns128PlusTheSignalThatKilledTheContainer) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"sleep", "1000"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  absl::StatusOr<HullProcess> run = StartHull({"run", "--bundle", (*bundle)->path(), id});
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(WaitForStatus(id, "running"), "running");
  HullResult killed = Hull({"kill", id, "9"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  absl::StatusOr<HullResult> result = run->Wait();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 128 + SIGKILL) << *result;
  // run without --keep deletes the container.
  EXPECT_THAT(Hull({"state", id}).err, HasSubstr("container does not exist"));
}

// Without a pid namespace, killing the init leaves its children: --all
// reaches every process of the container.
TEST_F(LifecycleTest, KillAllSignalsEveryProcess) {
  config::Spec spec = ContainerSpec({"sh", "-c", "sleep 1000 & sleep 1000 & wait"});
  RemoveNamespace(spec, "pid");
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(spec, id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);

  std::vector<pid_t> pids;
  for (absl::Time deadline = absl::Now() + kWait; pids.size() < 3 && absl::Now() < deadline;
       absl::SleepFor(absl::Milliseconds(10))) {
    HullResult ps = Hull({"ps", "--format", "json", id});
    ASSERT_EQ(ps.exit_code, 0) << ps;
    pids = ParsePidList(ps.out);
  }
  ASSERT_THAT(pids, SizeIs(3)) << "sh and its two sleeps";

  HullResult killed = Hull({"kill", "--all", id, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed;
  for (pid_t pid : pids) {
    EXPECT_TRUE(Eventually([pid] { return ProcessIsDead(pid); }, kWait))
        << "process " << pid << " survived kill --all";
  }
}

TEST_F(LifecycleTest, ForceDeleteOfARunningContainer) {
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(state->status(), "running");

  HullResult refused = Hull({"delete", id});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_FALSE(ProcessIsDead(state->pid()));

  HullResult deleted = Hull({"delete", "-f", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_TRUE(ProcessIsDead(state->pid()));
  EXPECT_THAT(Hull({"state", id}).err, HasSubstr("container does not exist"));
}

TEST_F(LifecycleTest, ForceDeleteOfAnUnknownIdSucceeds) {
  HullResult result = Hull({"delete", "-f", "no-such-container"});
  EXPECT_EQ(result.exit_code, 0) << result;
}

TEST_F(LifecycleTest, CommandsOnAnUnknownIdFail) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"start", "no-such-container"},
                                             {"kill", "no-such-container"},
                                             {"delete", "no-such-container"},
                                             {"state", "no-such-container"},
                                             {"ps", "no-such-container"}}) {
    HullResult result = Hull(args);
    EXPECT_EQ(result.exit_code, 1) << args[0] << ": " << result;
    EXPECT_THAT(result.err, HasSubstr("container does not exist")) << args[0] << ": " << result;
  }
}

TEST_F(LifecycleTest, StartingTwiceFails) {
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult again = Hull({"start", id});
  EXPECT_EQ(again.exit_code, 1) << again;
  EXPECT_THAT(again.err, HasSubstr(absl::StrCat("container \"", id, "\" is running: cannot start")))
      << again;
}

TEST_F(LifecycleTest, ListAndPsShowTheContainers) {
  const std::string created = NewId();
  const std::string running = NewId();
  const std::string stopped = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), created));
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), running));
  ASSERT_EQ(Hull({"start", running}).exit_code, 0);
  ASSERT_TRUE(CreateContainer(ContainerSpec({"true"}), stopped));
  ASSERT_EQ(Hull({"start", stopped}).exit_code, 0);
  ASSERT_EQ(WaitForStatus(stopped, "stopped"), "stopped");

  HullResult quiet = Hull({"list", "-q"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet;
  std::vector<std::string> ids = absl::StrSplit(quiet.out, '\n', absl::SkipEmpty());
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre(created, running, stopped)) << quiet;

  HullResult table = Hull({"list"});
  ASSERT_EQ(table.exit_code, 0) << table;
  std::vector<std::string> rows = absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_THAT(rows, SizeIs(4)) << table;
  for (const auto& [id, status] : std::vector<std::pair<std::string, std::string>>{
           {created, "created"}, {running, "running"}, {stopped, "stopped"}}) {
    bool listed = false;
    for (const std::string& row : rows) {
      std::vector<std::string> fields = absl::StrSplit(row, ' ', absl::SkipEmpty());
      if (fields.size() > 2 && fields[0] == id) {
        listed = true;
        EXPECT_EQ(fields[2], status) << row;
      }
    }
    EXPECT_TRUE(listed) << id << " is not listed: " << table;
  }

  // runc's JSON: one line, an array of the states, the owner named.
  HullResult json = Hull({"list", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json;
  EXPECT_TRUE(absl::StartsWith(json.out, "[{\"ociVersion\":\"1.2.0\",\"id\":")) << json;
  EXPECT_TRUE(absl::EndsWith(json.out, "}]\n")) << json;
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 1) << json;
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"id\":\"", running, "\",\"pid\":")));
  EXPECT_THAT(json.out, HasSubstr("\"status\":\"stopped\""));
  EXPECT_THAT(json.out, HasSubstr("\"owner\":\"root\"}")) << json;

  absl::StatusOr<runtime::OciState> state = State(running);
  ASSERT_TRUE(state.ok()) << state.status();
  HullResult ps = Hull({"ps", "--format", "json", running});
  ASSERT_EQ(ps.exit_code, 0) << ps;
  EXPECT_THAT(ParsePidList(ps.out), ElementsAre(state->pid())) << ps;
  // The pid is the host's view of the container's pid 1 running sleep.
  absl::StatusOr<std::string> status = ReadFile(absl::StrCat("/proc/", state->pid(), "/status"));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, HasSubstr(absl::StrCat("\nNSpid:\t", state->pid(), "\t1\n")));
  EXPECT_THAT(*status, HasSubstr("Name:\tsleep\n"));
}

TEST_F(LifecycleTest, FlagsMayFollowTheId) {
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), id));
  ASSERT_EQ(Hull({"start", id}).exit_code, 0);
  HullResult deleted = Hull({"delete", id, "--force"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_THAT(Hull({"state", id}).err, HasSubstr("container does not exist"));
}

}  // namespace
}  // namespace hull::testing
