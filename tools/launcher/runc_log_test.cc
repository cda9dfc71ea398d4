#include "tools/launcher/runc_log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::launcher {
namespace {

using ::hull::testing::ReadFile;

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kTime = absl::FromUnixSeconds(1767323045);  // 2026-01-02T03:04:05Z

TEST(FormatLogLineTest, JsonLinesAreWhatContainerdParses) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, "error", "container does not exist", kTime),
            "{\"level\":\"error\",\"msg\":\"container does not exist\","
            "\"time\":\"2026-01-02T03:04:05Z\"}\n");
}

TEST(FormatLogLineTest, TextLinesFollowLogrus) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "warning", "container does not exist", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=warning msg=\"container does not exist\"\n");
}

TEST(FormatLogLineTest, TextQuotesTheMessageOnlyWhenLogrusWould) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "debug", "a-Z_0.9/@^+", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=debug msg=a-Z_0.9/@^+\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "debug", "", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=debug msg=\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "debug", "a:b", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=debug msg=\"a:b\"\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "debug", "caf\xc3\xa9", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=debug msg=\"caf\xc3\xa9\"\n");
}

TEST(FormatLogLineTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, "error", "a\"b\\c\nd\x01", kTime),
            "{\"level\":\"error\",\"msg\":\"a\\\"b\\\\c\\nd\\u0001\","
            "\"time\":\"2026-01-02T03:04:05Z\"}\n");
}

TEST(ParseLogFormatTest, KnowsTextAndJsonOnly) {
  EXPECT_THAT(ParseLogFormat("json"), IsOkAndHolds(LogFormat::kJson));
  EXPECT_THAT(ParseLogFormat("text"), IsOkAndHolds(LogFormat::kText));
  EXPECT_THAT(ParseLogFormat("xml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid log-format")));
}

TEST(InstallRuncLogTest, GlogRecordsLandInTheFileAndDebugOnlyWhenAsked) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/hull.log";
  ASSERT_TRUE(InstallRuncLog(path, LogFormat::kJson, /*debug=*/false).ok());
  LOG(INFO) << "hidden";
  LOG(ERROR) << "boom";
  std::string log = ReadFile(path).value_or("");
  EXPECT_THAT(log, HasSubstr("{\"level\":\"error\",\"msg\":\"boom\""));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("hidden")));

  ASSERT_TRUE(InstallRuncLog(path, LogFormat::kText, /*debug=*/true).ok());
  LOG(INFO) << "shown";
  VLOG(1) << "shown too";
  EXPECT_THAT(ReadFile(path).value_or(""), HasSubstr("level=debug msg=shown\n"));
  EXPECT_THAT(ReadFile(path).value_or(""), HasSubstr("level=debug msg=\"shown too\"\n"));
}

// Runs `report` with stderr in a memory file; what it wrote there.
template <typename Report>
std::string Stderr(Report report) {
  UniqueFd saved(dup(STDERR_FILENO));
  UniqueFd captured(memfd_create("stderr", MFD_CLOEXEC));
  EXPECT_TRUE(saved.valid() && captured.valid());
  EXPECT_EQ(dup2(captured.get(), STDERR_FILENO), STDERR_FILENO);
  report();
  EXPECT_EQ(dup2(saved.get(), STDERR_FILENO), STDERR_FILENO);
  std::string text(4096, '\0');
  const ssize_t n = pread(captured.get(), text.data(), text.size(), 0);
  text.resize(n > 0 ? n : 0);
  return text;
}

TEST(ReportFailureTest, WithALogFileTheLogHasTheRecordAndStderrTheBareMessage) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/failure.log";
  const std::string err = Stderr([&] {
    ASSERT_TRUE(InstallRuncLog(path, LogFormat::kJson, /*debug=*/false).ok());
    ReportFailure("container \"web\" does not exist");
  });
  EXPECT_EQ(err, "container \"web\" does not exist\n");
  EXPECT_THAT(ReadFile(path).value_or(""),
              ::testing::MatchesRegex("\\{\"level\":\"error\",\"msg\":\"container \\\\\"web\\\\\" "
                                      "does not exist\",\"time\":\"[^\"]+\"\\}\n"));
}

TEST(ReportFailureTest, WithoutALogFileTheMessageIsPrintedOnceAndBare) {
  const std::string err = Stderr([] {
    ASSERT_TRUE(InstallRuncLog("", LogFormat::kText, /*debug=*/true).ok());
    ReportFailure("first line\nsecond line");
  });
  EXPECT_EQ(err, "first line\nsecond line\n");
}

TEST(InstallRuncLogTest, AnUnwritableLogIsAClearError) {
  EXPECT_THAT(InstallRuncLog("/nonexistent/dir/hull.log", LogFormat::kText, false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("open log file /nonexistent/dir/hull.log: No such file")));
}

}  // namespace
}  // namespace hull::launcher
