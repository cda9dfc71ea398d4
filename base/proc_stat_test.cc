#include "base/proc_stat.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Field;
using ::testing::Gt;
using ::testing::HasSubstr;

// Fields 3..52 of a real stat line, after the comm.
constexpr char kTail[] =
    "S 1 123 123 0 -1 4194560 2071 0 0 0 3 1 0 0 20 0 1 0 987654 22831104 2381 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

TEST(ParseProcStatTest, ReadsStateAndStartTime) {
  EXPECT_THAT(
      ParseProcStat(std::string("123 (sleep) ") + kTail),
      IsOkAndHolds(AllOf(Field(&ProcStat::state, 'S'), Field(&ProcStat::num_threads, 1),
                         Field(&ProcStat::start_time, 987654u))));
}

TEST(ParseProcStatTest, ReadsTheCpuTimes) {
  EXPECT_THAT(ParseProcStat(std::string("123 (sleep) ") + kTail),
              IsOkAndHolds(AllOf(Field(&ProcStat::utime, 3u), Field(&ProcStat::stime, 1u))));
}

TEST(ParseProcStatTest, CommMayHoldSpacesAndParentheses) {
  EXPECT_THAT(
      ParseProcStat(std::string("123 (a) R 9 (b c)) ") + kTail + "\n"),
      IsOkAndHolds(AllOf(Field(&ProcStat::state, 'S'), Field(&ProcStat::start_time, 987654u))));
}

TEST(ParseProcStatTest, RefusesMalformedLines) {
  EXPECT_THAT(ParseProcStat(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("')'")));
  EXPECT_THAT(ParseProcStat("123 (x) S 1 2 3"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected at least 22")));
  EXPECT_THAT(
      ParseProcStat(absl::StrReplaceAll(std::string("123 (x) ") + kTail, {{"987654", "soon"}})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"soon\"")));
  EXPECT_THAT(
      ParseProcStat(absl::StrReplaceAll(std::string("123 (x) ") + kTail, {{" 3 1 ", " 3 -1 "}})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("system time \"-1\"")));
  EXPECT_THAT(ParseProcStat(std::string("123 (x) SS") + (kTail + 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
}

// A child that sleeps until killed; reaped by the destructor.
class SleepingChild {
 public:
  // `name` becomes the child's comm.
  explicit SleepingChild(const char* name) {
    int ready[2];
    EXPECT_EQ(pipe(ready), 0);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_NAME, name);
      close(ready[0]);
      // A failed write reads as the end of the pipe in the parent's check.
      if (write(ready[1], "x", 1) != 1) _exit(1);
      while (true) pause();
    }
    close(ready[1]);
    char byte;
    EXPECT_EQ(read(ready[0], &byte, 1), 1);
    close(ready[0]);
  }
  ~SleepingChild() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

TEST(ReadProcStatTest, ReadsTheTestsOwnProcess) {
  EXPECT_THAT(ReadProcStat(getpid()), IsOkAndHolds(AllOf(Field(&ProcStat::state, 'R'),
                                                         Field(&ProcStat::num_threads, 1),
                                                         Field(&ProcStat::start_time, Gt(0u)))));
}

TEST(ReadProcStatTest, CountsTheThreads) {
  absl::Notification done;
  std::thread thread([&done] { done.WaitForNotification(); });
  EXPECT_THAT(ReadProcStat(getpid()), IsOkAndHolds(Field(&ProcStat::num_threads, 2)));
  done.Notify();
  thread.join();
}

TEST(ReadProcStatTest, ReadsAProcessWhoseNameLooksLikeFields) {
  // Parsed from its first ')', this comm would give state Z and a start time
  // taken from the priority field.
  SleepingChild child(") Z 1 2 (");
  absl::StatusOr<ProcStat> stat = ReadProcStat(child.pid());
  ASSERT_TRUE(stat.ok()) << stat.status();
  EXPECT_THAT(stat->state, AnyOf('R', 'S'));
  EXPECT_GE(stat->start_time, ReadProcStat(getpid())->start_time);
}

TEST(ReadProcStatTest, NoSuchProcessIsNotFound) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_THAT(ReadProcStat(child), StatusIs(absl::StatusCode::kNotFound, HasSubstr("no process")));
  EXPECT_THAT(ReadProcStat(0), StatusIs(absl::StatusCode::kNotFound, HasSubstr("no process")));
}

}  // namespace
}  // namespace hull
