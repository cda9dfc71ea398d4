// `--debug`, `--log` and `--log-format` as runc's users rely on them: the log
// is lines containerd and podman parse (JSON with level, msg and an RFC 3339
// time; or logrus's text), --debug records every step of a command and of
// the container's init, and an error is reported once: logged with the step
// that failed and, bare, on stderr.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct LogRecord {
  std::string level;
  std::string msg;
  std::string time;
};

// The lines of a --log-format json log, each checked to be what containerd
// decodes: an object of exactly level, msg and time, all strings, time in
// RFC 3339.
std::vector<LogRecord> ParseJsonLog(const std::string& text) {
  static const std::regex kRfc3339(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))");
  std::vector<LogRecord> records;
  for (const std::string& line : Lines(text)) {
    google::protobuf::Struct object;
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &object);
    EXPECT_TRUE(parsed.ok()) << parsed.ToString() << ": " << line;
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.fields()) {
      keys.push_back(key);
      EXPECT_EQ(value.kind_case(), google::protobuf::Value::kStringValue) << key << ": " << line;
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_THAT(keys, ElementsAre("level", "msg", "time")) << line;
    LogRecord record{.level = object.fields().at("level").string_value(),
                     .msg = object.fields().at("msg").string_value(),
                     .time = object.fields().at("time").string_value()};
    EXPECT_TRUE(std::regex_match(record.time, kRfc3339)) << line;
    records.push_back(std::move(record));
  }
  return records;
}

// The index of the first record whose message contains `text`, or -1.
int Find(const std::vector<LogRecord>& records, absl::string_view text) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (absl::StrContains(records[i].msg, text)) return static_cast<int>(i);
  }
  return -1;
}

int Occurrences(absl::string_view text, absl::string_view what) {
  int count = 0;
  for (size_t at = text.find(what); at != absl::string_view::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

constexpr char kMissingExecutable[] =
    "container init failed to find the executable: exec: \"/nonexistent\": stat /nonexistent: no "
    "such file or directory";

class DebugLogTest : public HullTest {
 protected:
  // A path for a log file, outside --root (whose entries are containers).
  std::string LogPath(absl::string_view name) {
    if (log_dir_.empty()) log_dir_ = MakeTempDir("logs").value();
    return absl::StrCat(log_dir_, "/", name);
  }

 private:
  std::string log_dir_;
};

TEST_F(DebugLogTest, JsonDebugLogOfALifecycleHasEveryStepOfTheCommandsAndOfTheInit) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"true"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  const std::string log = LogPath("lifecycle.json");
  const std::vector<std::string> logging = {"--debug", "--log", log, "--log-format", "json"};
  auto hull = [&](std::vector<std::string> args) {
    args.insert(args.begin(), logging.begin(), logging.end());
    HullResult result = Hull(args);
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, IsEmpty()) << "debug lines go to the log, not to stderr";
  };
  hull({"create", "--bundle", (*bundle)->path(), id});
  hull({"start", id});
  ASSERT_EQ(WaitForStatus(id, "stopped"), "stopped");
  hull({"delete", id});

  absl::StatusOr<std::string> text = ReadFile(log);
  ASSERT_TRUE(text.ok()) << text.status();
  const std::vector<LogRecord> records = ParseJsonLog(*text);
  for (const LogRecord& record : records) EXPECT_EQ(record.level, "debug") << record.msg;
  const std::string container = absl::StrCat("container \"", id, "\": ");
  // The state machine: each command's transition, its actions, its outcome.
  const int create = Find(records, container + "create: creating -> created");
  const int cloned = Find(records, container + "init cloned, pid ");
  const int created = Find(records, container + "create: done: created");
  EXPECT_GE(create, 0) << *text;
  EXPECT_GE(Find(records, container + "create: CreateCgroup"), 0) << *text;
  EXPECT_GE(Find(records, container + "cgroups: "), 0) << *text;
  EXPECT_GE(Find(records, container + "clone new: "), 0) << *text;
  EXPECT_GE(Find(records, container + "start: created -> running"), 0) << *text;
  EXPECT_GE(Find(records, container + "start: ReleaseExecFifo"), 0) << *text;
  EXPECT_GE(Find(records, container + "delete: stopped -> deleted"), 0) << *text;
  EXPECT_GE(Find(records, container + "delete: Destroy"), 0) << *text;
  // The init's steps, forwarded by the launcher in order with its own.
  const int first_step = Find(records, ": join its cgroups");
  const int namespaces = Find(records, ": join namespaces");
  const int rootfs = Find(records, ": prepare the root filesystem");
  const int ready = Find(records, ": report ready");
  ASSERT_GE(cloned, 0) << *text;
  EXPECT_GT(first_step, cloned) << *text;
  EXPECT_GT(namespaces, first_step) << *text;
  EXPECT_GT(rootfs, namespaces) << *text;
  EXPECT_GT(ready, rootfs) << *text;
  EXPECT_GT(created, ready) << *text;
  EXPECT_THAT(records[namespaces].msg, ::testing::StartsWith(container + "init "));
}

TEST_F(DebugLogTest, TextLogLinesHaveLogrusShape) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"sleep", "1000"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string id = NewId();
  const std::string log = LogPath("text.log");
  HullResult created = Hull({"--debug", "--log", log, "create", "--bundle", (*bundle)->path(), id});
  ASSERT_EQ(created.exit_code, 0) << created;
  HullResult refused = Hull({"--log", log, "resume", id});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  HullResult deleted = Hull({"--debug", "--log", log, "delete", "--force", id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;

  absl::StatusOr<std::string> text = ReadFile(log);
  ASSERT_TRUE(text.ok()) << text.status();
  // logrus's TextFormatter: the value of msg quoted (Go's %q) only when it
  // holds a character beyond [A-Za-z0-9-._/@^+].
  static const std::regex kLogrusLine(
      R"re(time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)" )re"
      R"re(level=(debug|info|warning|error) msg=("([^"\\]|\\.)*"|[A-Za-z0-9._/@^+-]*))re");
  const std::vector<std::string> lines = Lines(*text);
  EXPECT_GT(lines.size(), 30u) << *text;
  for (const std::string& line : lines) {
    EXPECT_TRUE(std::regex_match(line, kLogrusLine)) << line;
  }
  EXPECT_EQ(Occurrences(*text, " level=error "), 1) << *text;
  EXPECT_THAT(*text, HasSubstr(absl::StrCat("level=error msg=\"container not paused: container \\\"",
                                            id, "\\\" is created: cannot resume")));
}

TEST_F(DebugLogTest, WithoutALogAnErrorIsPrintedOnceOnStderr) {
  HullResult missing = Hull({"delete", "nosuch"});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_EQ(missing.err, "container does not exist: nosuch\n");

  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"/nonexistent"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult failed = Hull({"create", "--bundle", (*bundle)->path(), NewId()});
  EXPECT_EQ(failed.exit_code, 1) << failed;
  // Neither the init (its stderr is hull's) nor a log record repeats it.
  EXPECT_EQ(failed.err, absl::StrCat(kMissingExecutable, "\n"));

  // With --debug the debug lines go to stderr too (there is no log file, as
  // with runc), and the error still comes once.
  HullResult debugged = Hull({"--debug", "create", "--bundle", (*bundle)->path(), NewId()});
  EXPECT_EQ(debugged.exit_code, 1) << debugged;
  EXPECT_EQ(Occurrences(debugged.err, kMissingExecutable), 1) << debugged;
  EXPECT_THAT(debugged.err, HasSubstr(": find the executable\"\n")) << debugged;
  EXPECT_TRUE(absl::EndsWith(debugged.err, absl::StrCat(kMissingExecutable, "\n"))) << debugged;
}

TEST_F(DebugLogTest, AnInitsErrorIsLoggedOnceWithItsStepAndPrintedBare) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"/nonexistent"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const std::string log = LogPath("failure.json");
  HullResult failed = Hull({"--debug", "--log", log, "--log-format", "json", "create", "--bundle",
                            (*bundle)->path(), NewId()});
  EXPECT_EQ(failed.exit_code, 1) << failed;
  EXPECT_EQ(failed.err, absl::StrCat(kMissingExecutable, "\n"));

  absl::StatusOr<std::string> text = ReadFile(log);
  ASSERT_TRUE(text.ok()) << text.status();
  const std::vector<LogRecord> records = ParseJsonLog(*text);
  std::vector<std::string> errors;
  for (const LogRecord& record : records) {
    if (record.level == "error") errors.push_back(record.msg);
  }
  // containerd reads the last error record as the runtime's error.
  EXPECT_THAT(errors, ElementsAre(kMissingExecutable)) << *text;
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().level, "error");
  // The init's last record is the step that failed; what follows is the
  // launcher undoing the create.
  const int step = Find(records, ": find the executable");
  ASSERT_GE(step, 0) << *text;
  EXPECT_EQ(records[step].level, "debug");
  EXPECT_EQ(Find(records, ": report ready"), -1) << *text;
  EXPECT_GT(Find(records, "AwaitInitReady failed"), step) << *text;
  EXPECT_EQ(Occurrences(*text, "no such file or directory"), 1) << *text;
}

}  // namespace
}  // namespace hull::testing
