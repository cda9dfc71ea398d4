#include "statemachine/state_store.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/file.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::statemachine {
namespace {

using ::hull::testing::MakeTempDir;
using ::hull::testing::DirectoryEntries;
using ::hull::testing::Exists;
using ::hull::testing::ReadFile;
using ::hull::testing::WriteFile;

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;

ContainerState FullState(const std::string& id) {
  ContainerState state;
  state.set_id(id);
  state.set_bundle("/srv/bundles/web");
  state.set_status(STATE_RUNNING);
  state.set_pid(4242);
  state.set_pid_start_time(987654);
  state.set_created_unix_nanos(1700000000123456789);
  state.mutable_owner()->set_uid(1000);
  state.mutable_owner()->set_user_name("alice");
  (*state.mutable_annotations())["org.example/key"] = "value with \"quotes\"\n";
  (*state.mutable_cgroup_paths())["memory"] = "/sys/fs/cgroup/memory/hull/web";
  (*state.mutable_cgroup_paths())[""] = "/sys/fs/cgroup/unified/hull/web";
  state.mutable_config()->set_oci_version("1.2.0");
  state.mutable_config()->set_hostname("web");
  state.mutable_config()->mutable_process()->add_args("/bin/sh");
  state.mutable_config()->mutable_root()->set_path("rootfs");
  return state;
}

ContainerState MinimalState(const std::string& id, State status = STATE_CREATING) {
  ContainerState state;
  state.set_id(id);
  state.set_status(status);
  return state;
}

class StateStoreTest : public ::testing::Test {
 protected:
  StateStoreTest() : root_(MakeTempDir("root").value()), store_(root_) {}

  // Creates container `id` and releases its lock.
  void CreateContainer(const ContainerState& state) {
    ASSERT_THAT(store_.Create(state).status(), IsOk());
  }

  const std::string root_;
  StateStore store_;
};

TEST_F(StateStoreTest, EveryFieldRoundTrips) {
  const ContainerState state = FullState("web");
  CreateContainer(state);
  absl::StatusOr<ContainerState> loaded = store_.Load("web");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded, state))
      << loaded->DebugString();
}

TEST_F(StateStoreTest, StateAndConfigFilesAreReadableTextproto) {
  CreateContainer(FullState("web"));
  EXPECT_EQ(store_.StateFilePath("web"), root_ + "/web/state.textproto");
  EXPECT_EQ(store_.ConfigFilePath("web"), root_ + "/web/config.textproto");
  EXPECT_THAT(
      ReadFile(store_.StateFilePath("web")).value_or(""),
      AllOf(HasSubstr("proto-message: hull.statemachine.ContainerState"), HasSubstr("id: \"web\""),
            HasSubstr("status: STATE_RUNNING"), HasSubstr("user_name: \"alice\""),
            Not(HasSubstr("config {"))));
  EXPECT_THAT(ReadFile(store_.ConfigFilePath("web")).value_or(""),
              AllOf(HasSubstr("proto-message: hull.config.Spec"), HasSubstr("hostname: \"web\""),
                    HasSubstr("args: \"/bin/sh\"")));
}

// What Hull wrote before the config had a file of its own: one state file
// holding the config. It loads, and the first save moves the config out.
TEST_F(StateStoreTest, StateFileHoldingTheConfigLoadsAndIsSplitOnSave) {
  const ContainerState state = FullState("web");
  CreateContainer(state);
  ASSERT_THAT(WriteFile(store_.StateFilePath("web"), StateFileText(state)), IsOk());
  ASSERT_EQ(unlink(store_.ConfigFilePath("web").c_str()), 0);
  EXPECT_THAT(store_.LoadWithoutConfig("web"), IsOk());
  absl::StatusOr<ContainerState> loaded = store_.Load("web");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded, state));

  absl::StatusOr<ContainerLock> lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  loaded = store_.Load(*lock);
  ASSERT_THAT(loaded, IsOk());
  loaded->set_status(STATE_STOPPED);
  ASSERT_THAT(store_.Save(*lock, *loaded), IsOk());
  EXPECT_THAT(ReadFile(store_.StateFilePath("web")).value_or(""), Not(HasSubstr("config {")));
  absl::StatusOr<ContainerState> saved = store_.Load("web");
  ASSERT_THAT(saved, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*saved, *loaded));
}

TEST_F(StateStoreTest, LoadWithoutConfigReadsTheStateFileOnly) {
  CreateContainer(FullState("web"));
  ASSERT_THAT(WriteFile(store_.ConfigFilePath("web"), "hostname: 7"), IsOk());
  absl::StatusOr<ContainerState> loaded = store_.LoadWithoutConfig("web");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->pid(), 4242);
  EXPECT_FALSE(loaded->has_config());
  EXPECT_THAT(store_.Load("web"),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("corrupt config file " + store_.ConfigFilePath("web")),
                             HasSubstr("line 1"))));
  ASSERT_EQ(unlink(store_.ConfigFilePath("web").c_str()), 0);
  EXPECT_THAT(store_.Load("web"),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(store_.ConfigFilePath("web")),
                             HasSubstr("No such file or directory"))));
  EXPECT_THAT(store_.LoadWithoutConfig("web"), IsOk());
}

TEST_F(StateStoreTest, UnderALockTheConfigIsReadOnlyWhenAskedAndLeftAloneUntilThen) {
  CreateContainer(FullState("web"));
  const std::string config_text = ReadFile(store_.ConfigFilePath("web")).value();
  absl::StatusOr<ContainerLock> lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  absl::StatusOr<ContainerState> state = store_.LoadWithoutConfig(*lock);
  ASSERT_THAT(state, IsOk());
  EXPECT_FALSE(state->has_config());
  // Saved without its config, the state leaves the config file as it was.
  state->set_status(STATE_RUNNING);
  ASSERT_THAT(store_.Save(*lock, *state), IsOk());
  EXPECT_EQ(ReadFile(store_.ConfigFilePath("web")).value(), config_text);
  // A config that nothing read cannot be saved over the file.
  ContainerState with_config = *state;
  with_config.mutable_config()->set_hostname("other");
  EXPECT_THAT(store_.Save(*lock, with_config),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("was not read")));
  // Read later, it is what Load reads, and Save then tracks it as usual.
  ASSERT_THAT(store_.LoadConfig(*lock, *state), IsOk());
  EXPECT_EQ(state->config().hostname(), FullState("web").config().hostname());
  ASSERT_THAT(store_.LoadConfig(*lock, *state), IsOk());  // once is enough
  state->mutable_config()->set_hostname("changed");
  ASSERT_THAT(store_.Save(*lock, *state), IsOk());
  absl::StatusOr<ContainerState> reloaded = store_.Load("web");
  ASSERT_THAT(reloaded, IsOk());
  EXPECT_EQ(reloaded->config().hostname(), "changed");
  EXPECT_EQ(reloaded->status(), STATE_RUNNING);
}

TEST_F(StateStoreTest, LoadConfigReportsADamagedConfigFile) {
  CreateContainer(FullState("web"));
  ASSERT_THAT(WriteFile(store_.ConfigFilePath("web"), "hostname: 7"), IsOk());
  absl::StatusOr<ContainerLock> lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  absl::StatusOr<ContainerState> state = store_.LoadWithoutConfig(*lock);
  ASSERT_THAT(state, IsOk());
  EXPECT_THAT(store_.LoadConfig(*lock, *state),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("corrupt config file " + store_.ConfigFilePath("web"))));
}

// Save writes a file only when what it holds changes: the config file once
// at create and when the config changes (update), the state file when the
// state does.
TEST_F(StateStoreTest, SaveRewritesOnlyTheFilesThatChange) {
  ContainerState state = FullState("web");
  absl::StatusOr<ContainerLock> lock = store_.Create(state);
  ASSERT_THAT(lock, IsOk());
  struct stat config_before, state_before, after;
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &config_before), 0);
  ASSERT_EQ(stat(store_.StateFilePath("web").c_str(), &state_before), 0);

  // Each replace is a new file (a rename over the old one): a new inode.
  ASSERT_THAT(store_.Save(*lock, state), IsOk());
  ASSERT_EQ(stat(store_.StateFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, state_before.st_ino) << "an unchanged state was rewritten";
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, config_before.st_ino) << "an unchanged config was rewritten";

  state.set_status(STATE_PAUSED);
  ASSERT_THAT(store_.Save(*lock, state), IsOk());
  ASSERT_EQ(stat(store_.StateFilePath("web").c_str(), &after), 0);
  EXPECT_NE(after.st_ino, state_before.st_ino);
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, config_before.st_ino) << "an unchanged config was rewritten";

  state.mutable_config()->mutable_linux()->mutable_resources()->mutable_pids()->set_limit(7);
  ASSERT_THAT(store_.Save(*lock, state), IsOk());
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &after), 0);
  EXPECT_NE(after.st_ino, config_before.st_ino);
  absl::StatusOr<ContainerState> loaded = store_.Load("web");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded, state));

  // A lock that loaded the files knows what they hold too.
  lock = absl::StatusOr<ContainerLock>(absl::UnknownError("released"));
  lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  ASSERT_THAT(store_.Load(*lock), IsOk());
  ASSERT_EQ(stat(store_.StateFilePath("web").c_str(), &state_before), 0);
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &config_before), 0);
  ASSERT_THAT(store_.Save(*lock, state), IsOk());
  ASSERT_EQ(stat(store_.StateFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, state_before.st_ino);
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, config_before.st_ino);
}

// A config file Hull did not write in ConfigFileText's form (the one-line
// text TextFormat also reads) is read as the same config, rewritten in that
// form by the next Save, and left alone after.
TEST_F(StateStoreTest, SaveRewritesAConfigFileInAnotherFormOnce) {
  ContainerState state = FullState("web");
  ASSERT_THAT(store_.Create(state), IsOk());
  const std::string canonical = ReadFile(store_.ConfigFilePath("web")).value();
  ASSERT_THAT(WriteFile(store_.ConfigFilePath("web"), state.config().ShortDebugString()), IsOk());

  absl::StatusOr<ContainerLock> lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  absl::StatusOr<ContainerState> loaded = store_.Load(*lock);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded, state));
  ASSERT_THAT(store_.Save(*lock, *loaded), IsOk());
  EXPECT_EQ(ReadFile(store_.ConfigFilePath("web")).value(), canonical);
  struct stat before, after;
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &before), 0);
  ASSERT_THAT(store_.Save(*lock, *loaded), IsOk());
  ASSERT_EQ(stat(store_.ConfigFilePath("web").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino) << "an unchanged config was rewritten";
}

TEST_F(StateStoreTest, SaveReplacesTheFileAndLeavesNoTemporaryFiles) {
  absl::StatusOr<ContainerLock> lock = store_.Create(MinimalState("web"));
  ASSERT_THAT(lock, IsOk());
  for (State status : {STATE_CREATED, STATE_RUNNING, STATE_PAUSED}) {
    ASSERT_THAT(store_.Save(*lock, MinimalState("web", status)), IsOk());
    EXPECT_THAT(store_.Load("web"), IsOkAndHolds(Property(&ContainerState::status, status)));
  }
  EXPECT_THAT(DirectoryEntries(root_ + "/web"), ElementsAre("config.textproto", "state.textproto"));
  EXPECT_THAT(DirectoryEntries(root_), ElementsAre("web"));
}

// On a tmpfs (where /run is) an fsync does nothing: none is made there. On a
// disk they are.
TEST(StateStoreDurabilityTest, NoFsyncOnATmpfsOnlyOnDisks) {
  struct statfs shm;
  if (statfs("/dev/shm", &shm) != 0 || shm.f_type != TMPFS_MAGIC) {
    GTEST_SKIP() << "/dev/shm is not a tmpfs here";
  }
  const std::string memory_root = MakeTempDir("root", "/dev/shm").value();
  StateStore in_memory(memory_root);
  absl::StatusOr<ContainerLock> created = in_memory.Create(FullState("web"));
  ASSERT_THAT(created, IsOk());
  EXPECT_FALSE(created->durable());
  ASSERT_THAT(in_memory.Save(*created, MinimalState("web", STATE_CREATED)), IsOk());
  created = absl::UnknownError("released");
  absl::StatusOr<ContainerLock> locked = in_memory.Lock("web");
  ASSERT_THAT(locked, IsOk());
  EXPECT_FALSE(locked->durable());
  EXPECT_THAT(in_memory.Load(*locked), IsOkAndHolds(Property(&ContainerState::status,
                                                              STATE_CREATED)));
  ASSERT_THAT(in_memory.Remove(*std::move(locked)), IsOk());
  EXPECT_THAT(DirectoryEntries(memory_root), IsEmpty());
  rmdir(memory_root.c_str());

  const std::string disk_root = MakeTempDir("root").value();
  struct statfs disk;
  ASSERT_EQ(statfs(disk_root.c_str(), &disk), 0);
  if (disk.f_type == TMPFS_MAGIC || disk.f_type == RAMFS_MAGIC) {
    GTEST_SKIP() << "the test's temporary directory is in memory too";
  }
  absl::StatusOr<ContainerLock> on_disk = StateStore(disk_root).Create(FullState("web"));
  ASSERT_THAT(on_disk, IsOk());
  EXPECT_TRUE(on_disk->durable());
}

TEST_F(StateStoreTest, SaveRefusesAnotherContainersState) {
  absl::StatusOr<ContainerLock> lock = store_.Create(MinimalState("web"));
  ASSERT_THAT(lock, IsOk());
  EXPECT_THAT(store_.Save(*lock, MinimalState("db")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lock of \"web\"")));
  EXPECT_THAT(store_.Save(*lock, MinimalState("web", STATE_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no valid status")));
}

TEST_F(StateStoreTest, SaveRefusesWhatLoadWouldRefuse) {
  absl::StatusOr<ContainerLock> lock = store_.Create(MinimalState("web"));
  ASSERT_THAT(lock, IsOk());
  ContainerState state = MinimalState("web", STATE_RUNNING);
  state.set_pid(-1);
  EXPECT_THAT(store_.Save(*lock, state),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative pid -1")));
  EXPECT_THAT(store_.Load("web"), IsOk());
}

TEST_F(StateStoreTest, FailedSaveKeepsTheOldFile) {
  absl::StatusOr<ContainerLock> lock = store_.Create(MinimalState("web"));
  ASSERT_THAT(lock, IsOk());
  const std::string before = ReadFile(store_.StateFilePath("web")).value_or("");
  // A directory where the temporary file goes makes the write fail, even as root.
  ASSERT_EQ(mkdir((root_ + "/web/.state.textproto.tmp").c_str(), 0700), 0);
  EXPECT_THAT(store_.Save(*lock, MinimalState("web", STATE_CREATED)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(".state.textproto.tmp")));
  EXPECT_EQ(ReadFile(store_.StateFilePath("web")).value_or(""), before);
}

TEST_F(StateStoreTest, CreateMakesTheRootAndRefusesATakenId) {
  StateStore store(root_ + "/a/b");
  ASSERT_THAT(store.Create(MinimalState("web")).status(), IsOk());
  EXPECT_THAT(store.Create(MinimalState("web")).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, "container with id exists: web"));
  EXPECT_THAT(DirectoryEntries(root_ + "/a/b"), ElementsAre("web"));
}

TEST_F(StateStoreTest, UnknownIdDoesNotExist) {
  EXPECT_THAT(store_.Load("nope"),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
  EXPECT_THAT(store_.Lock("nope").status(),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
  EXPECT_THAT(store_.Exists("nope"),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
  StateStore missing_root(root_ + "/missing");
  EXPECT_THAT(missing_root.Load("nope"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
  EXPECT_THAT(missing_root.List(), IsOkAndHolds(IsEmpty()));
}

TEST_F(StateStoreTest, BadIdsAreRefusedBeforeAnyPathIsBuilt) {
  EXPECT_THAT(store_.Load("../etc"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"../etc\"")));
  EXPECT_THAT(store_.Lock("a/b").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"a/b\"")));
  EXPECT_THAT(store_.Exists("../etc"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"../etc\"")));
  EXPECT_THAT(store_.Create(MinimalState("..")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"..\"")));
  EXPECT_THAT(store_.Create(MinimalState("")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(DirectoryEntries(root_), IsEmpty());
}

struct BadStateFile {
  const char* name;
  std::string contents;
  const char* problem;
};

class CorruptStateFileTest : public StateStoreTest,
                             public ::testing::WithParamInterface<BadStateFile> {};

TEST_P(CorruptStateFileTest, IsDataLossNamingTheFile) {
  CreateContainer(FullState("web"));
  const std::string path = store_.StateFilePath("web");
  ASSERT_THAT(WriteFile(path, GetParam().contents), IsOk());
  EXPECT_THAT(store_.Load("web"), StatusIs(absl::StatusCode::kDataLoss,
                                           AllOf(HasSubstr(path), HasSubstr(GetParam().problem))));
}

std::string ValidText() {
  return "id: \"web\"\nstatus: STATE_RUNNING\nbundle: \"/srv/bundles/web\"\npid: 42\n";
}

INSTANTIATE_TEST_SUITE_P(
    BadFiles, CorruptStateFileTest,
    ::testing::Values(
        BadStateFile{"Empty", "", "no id"},
        BadStateFile{"Garbage", "{{{ not a textproto", "line 1 column"},
        BadStateFile{"TruncatedInAString", ValidText().substr(0, 6), "line 1"},
        BadStateFile{"TruncatedAfterTheId", "id: \"web\"\n", "no valid status"},
        BadStateFile{"UnknownStatus", "id: \"web\"\nstatus: STATE_DANCING\n", "STATE_DANCING"},
        BadStateFile{"NumericStatus", "id: \"web\"\nstatus: 42\n", "no valid status"},
        BadStateFile{"UnknownField", ValidText() + "flavour: \"mint\"\n", "flavour"},
        BadStateFile{"Binary", std::string("\x0a\x03web\x18\x03\xff\x00", 9), "line 2 column 1"},
        BadStateFile{"AnotherContainers", "id: \"db\"\nstatus: STATE_RUNNING\n",
                     "belongs to container \"db\", not \"web\""},
        BadStateFile{"WrongTypeQuotesTheLine", ValidText() + "pid_start_time: \"soon\"\n",
                     "line 5 column 17: Expected integer, got: \"soon\" in "
                     "\"pid_start_time: \\\"soon\\\"\""},
        BadStateFile{"InvalidUtf8InAString",
                     "id: \"web\"\nstatus: STATE_RUNNING\nbundle: \"/srv/\xff\"\n",
                     "line 3: not valid UTF-8 in \"bundle: \\\"/srv/\\xff\\\"\""},
        BadStateFile{"NegativePid", "id: \"web\"\nstatus: STATE_RUNNING\npid: -1\n",
                     "pid -1 is negative"},
        BadStateFile{"PidOutOfRange", "id: \"web\"\nstatus: STATE_RUNNING\npid: 4294967296\n",
                     "line 3 column 6"}),
    [](const ::testing::TestParamInfo<BadStateFile>& info) { return info.param.name; });

TEST_F(StateStoreTest, MissingStateFileInAContainerDirectoryIsDataLoss) {
  CreateContainer(MinimalState("web"));
  ASSERT_EQ(unlink(store_.StateFilePath("web").c_str()), 0);
  // It exists (its directory does); its state is lost.
  EXPECT_THAT(store_.Exists("web"), IsOk());
  EXPECT_THAT(store_.Load("web"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(store_.StateFilePath("web"))));
}

TEST_F(StateStoreTest, RemoveDeletesEverythingAndFreesTheId) {
  absl::StatusOr<ContainerLock> lock = store_.Create(MinimalState("web"));
  ASSERT_THAT(lock, IsOk());
  // Whatever actions left in the directory goes too; symlinks are not followed.
  ASSERT_EQ(mkdir((root_ + "/web/sub").c_str(), 0700), 0);
  ASSERT_THAT(WriteFile(root_ + "/web/sub/file", "x"), IsOk());
  ASSERT_THAT(WriteFile(root_ + "/outside", "keep"), IsOk());
  ASSERT_EQ(symlink((root_ + "/outside").c_str(), (root_ + "/web/link").c_str()), 0);
  ASSERT_THAT(store_.Remove(*std::move(lock)), IsOk());
  EXPECT_THAT(DirectoryEntries(root_), ElementsAre("outside"));
  EXPECT_EQ(ReadFile(root_ + "/outside").value_or(""), "keep");
  EXPECT_THAT(store_.Load("web"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("web")));
  EXPECT_THAT(store_.Create(MinimalState("web")).status(), IsOk());
}

TEST_F(StateStoreTest, ListNamesContainersOnly) {
  CreateContainer(MinimalState("web"));
  CreateContainer(MinimalState("db"));
  CreateContainer(MinimalState("cache.1"));
  ASSERT_EQ(mkdir((root_ + "/.web.abc123").c_str(), 0700), 0);  // a create in flight
  ASSERT_THAT(WriteFile(root_ + "/stray-file", ""), IsOk());
  EXPECT_THAT(store_.List(), IsOkAndHolds(ElementsAre("cache.1", "db", "web")));
}

// Runs `child` in a forked process and returns its exit code.
template <typename Body>
pid_t Fork(Body child) {
  const pid_t pid = fork();
  if (pid == 0) _exit(child());
  return pid;
}

int ExitCode(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST_F(StateStoreTest, LockSerializesProcesses) {
  CreateContainer(MinimalState("web"));
  const std::string marker = root_ + "/child-done";
  int locked[2];
  ASSERT_EQ(pipe(locked), 0);
  const pid_t child = Fork([&] {
    absl::StatusOr<ContainerLock> lock = store_.Lock("web");
    if (!lock.ok()) return 1;
    if (write(locked[1], "x", 1) != 1) return 2;
    absl::SleepFor(absl::Milliseconds(300));
    if (!WriteFile(marker, "done").ok()) return 3;
    return 0;  // the lock goes with the process
  });
  char byte;
  ASSERT_EQ(read(locked[0], &byte, 1), 1);
  const absl::Time asked = absl::Now();
  absl::StatusOr<ContainerLock> lock = store_.Lock("web");
  ASSERT_THAT(lock, IsOk());
  EXPECT_GE(absl::Now() - asked, absl::Milliseconds(200));
  EXPECT_TRUE(Exists(marker)) << "got the lock while the child held it";
  EXPECT_EQ(ExitCode(child), 0);
  close(locked[0]);
  close(locked[1]);
}

TEST_F(StateStoreTest, WaiterForADeletedContainerFindsItGone) {
  CreateContainer(MinimalState("web"));
  int locked[2];
  ASSERT_EQ(pipe(locked), 0);
  const pid_t child = Fork([&] {
    absl::StatusOr<ContainerLock> lock = store_.Lock("web");
    if (!lock.ok()) return 1;
    if (write(locked[1], "x", 1) != 1) return 2;
    absl::SleepFor(absl::Milliseconds(200));
    return store_.Remove(*std::move(lock)).ok() ? 0 : 3;
  });
  char byte;
  ASSERT_EQ(read(locked[0], &byte, 1), 1);
  EXPECT_THAT(store_.Lock("web").status(),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: web"));
  EXPECT_EQ(ExitCode(child), 0);
  close(locked[0]);
  close(locked[1]);
}

TEST_F(StateStoreTest, ConcurrentCreatesOfOneIdHaveOneWinner) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = absl::StrCat("race", round);
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    // 0: created; 1: AlreadyExists; 2: another error.
    auto create = [&] {
      char byte;
      if (read(go[0], &byte, 1) != 1) return 2;
      const absl::Status status = store_.Create(MinimalState(id)).status();
      if (status.ok()) return 0;
      return absl::IsAlreadyExists(status) ? 1 : 2;
    };
    const pid_t first = Fork(create);
    const pid_t second = Fork(create);
    ASSERT_EQ(write(go[1], "xx", 2), 2);
    const std::multiset<int> outcomes = {ExitCode(first), ExitCode(second)};
    EXPECT_EQ(outcomes, (std::multiset<int>{0, 1})) << id;
    close(go[0]);
    close(go[1]);
  }
  // Nothing but the containers: no temporary directory was left behind.
  EXPECT_EQ(DirectoryEntries(root_).size(), kRounds);
  EXPECT_THAT(store_.List(), IsOkAndHolds(SizeIs(kRounds)));
}

}  // namespace
}  // namespace hull::statemachine

namespace hull::statemachine {
namespace {

using ::hull::testing::DirectoryEntries;
using ::hull::testing::IsOk;
using ::hull::testing::MakeTempDir;
using ::hull::testing::ReadFile;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

ContainerState WithoutConfig(ContainerState state) {
  state.clear_config();
  return state;
}

ContainerState Creating(const std::string& id) {
  ContainerState state;
  state.set_id(id);
  state.set_status(STATE_CREATING);
  return state;
}

// A dot id would be hidden among the temporary directories: refused.
TEST(StateStoreDotIdTest, CreateRefusesAnIdStartingWithADot) {
  const std::string root = MakeTempDir("root").value();
  StateStore store(root);
  EXPECT_THAT(store.Create(Creating(".hidden")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid container id \".hidden\": it may not start with \".\"")));
  EXPECT_THAT(DirectoryEntries(root), ::testing::IsEmpty());
  // Dots elsewhere are fine.
  EXPECT_THAT(store.Create(Creating("a.b")), IsOk());
}

// A create or delete killed midway leaves .<id>.XXXXXX: removed unless a live
// command holds it; other ids' and other names are left alone.
TEST(StateStoreAbandonedTest, RemovesTheIdsUnlockedTemporaryDirectories) {
  const std::string root = MakeTempDir("root").value();
  StateStore store(root);
  ASSERT_THAT(store.Create(Creating("web")), IsOk());
  for (const char* name : {".web.abc123", ".web.locked", ".web.toolong1", ".webx.abc123"}) {
    ASSERT_EQ(mkdir(absl::StrCat(root, "/", name).c_str(), 0700), 0) << name;
  }
  ASSERT_THAT(WriteFile(root + "/.web.abc123/state.textproto", "id: \"web\"\n"), IsOk());
  UniqueFd held(open((root + "/.web.locked").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(held.valid());
  // flock locks belong to the open file: a second open is another holder.
  ASSERT_EQ(flock(held.get(), LOCK_EX), 0);

  EXPECT_THAT(store.RemoveAbandoned("web"), IsOk());
  EXPECT_THAT(DirectoryEntries(root),
              UnorderedElementsAre("web", ".web.locked", ".web.toolong1", ".webx.abc123"));

  held.Reset();
  EXPECT_THAT(store.RemoveAbandoned("web"), IsOk());
  EXPECT_THAT(DirectoryEntries(root), UnorderedElementsAre("web", ".web.toolong1", ".webx.abc123"));
}

TEST(StateStoreAbandonedTest, RemoveAlsoRemovesThem) {
  const std::string root = MakeTempDir("root").value();
  StateStore store(root);
  absl::StatusOr<ContainerLock> lock = store.Create(Creating("web"));
  ASSERT_THAT(lock, IsOk());
  ASSERT_EQ(mkdir((root + "/.web.Qx81zz").c_str(), 0700), 0);
  EXPECT_THAT(store.Remove(*std::move(lock)), IsOk());
  EXPECT_THAT(DirectoryEntries(root), ::testing::IsEmpty());
}

// What a damaged state file still says, for delete: the fields before the
// damage.
TEST(StateStoreSalvageTest, KeepsTheFieldsBeforeTheDamage) {
  const std::string root = MakeTempDir("root").value();
  StateStore store(root);
  ContainerState state = Creating("web");
  state.set_status(STATE_RUNNING);
  state.set_pid(4242);
  state.set_pid_start_time(99);
  (*state.mutable_cgroup_paths())[""] = "/sys/fs/cgroup/hull/web";
  (*state.mutable_cgroup_created_paths())[""] = "/sys/fs/cgroup/hull/web";
  state.mutable_config()->set_hostname("web");
  ASSERT_THAT(store.Create(state), IsOk());
  // Damaged in its config (the largest part, last in a state file that holds
  // it, as they were before the config had a file of its own).
  const std::string file = store.StateFilePath("web");
  std::string text = StateFileText(state);
  const size_t config = text.find("config {");
  ASSERT_NE(config, std::string::npos) << text;
  ASSERT_THAT(WriteFile(file, text.substr(0, config) + "config { hostn\x01"), IsOk());
  ASSERT_THAT(store.Load("web"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("corrupt")));

  absl::StatusOr<ContainerLock> lock = store.Lock("web");
  ASSERT_THAT(lock, IsOk());
  const ContainerState salvaged = store.Salvage(*lock);
  EXPECT_EQ(salvaged.id(), "web");
  EXPECT_EQ(salvaged.status(), STATE_CREATING);
  EXPECT_EQ(salvaged.pid(), 4242);
  EXPECT_EQ(salvaged.pid_start_time(), 99u);
  EXPECT_EQ(salvaged.cgroup_paths().at(""), "/sys/fs/cgroup/hull/web");
  EXPECT_EQ(salvaged.cgroup_created_paths().at(""), "/sys/fs/cgroup/hull/web");

  // The state file whole, the config file damaged: the config's fields
  // before the damage too.
  ASSERT_THAT(WriteFile(file, StateFileText(WithoutConfig(state))), IsOk());
  ASSERT_THAT(WriteFile(store.ConfigFilePath("web"), "hostname: \"web\"\nprocess { ar"), IsOk());
  ASSERT_THAT(store.Load("web"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("corrupt")));
  const ContainerState split = store.Salvage(*lock);
  EXPECT_EQ(split.pid(), 4242);
  EXPECT_EQ(split.cgroup_paths().at(""), "/sys/fs/cgroup/hull/web");
  EXPECT_EQ(split.config().hostname(), "web");

  ASSERT_EQ(unlink(file.c_str()), 0);
  ASSERT_EQ(unlink(store.ConfigFilePath("web").c_str()), 0);
  const ContainerState nothing = store.Salvage(*lock);
  EXPECT_EQ(nothing.id(), "web");
  EXPECT_EQ(nothing.pid(), 0);
  EXPECT_TRUE(nothing.cgroup_paths().empty());
}

}  // namespace
}  // namespace hull::statemachine
