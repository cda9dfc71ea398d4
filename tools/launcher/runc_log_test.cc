#include "tools/launcher/runc_log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "warning", "x", kTime),
            "time=\"2026-01-02T03:04:05Z\" level=warning msg=\"x\"\n");
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
  EXPECT_THAT(ReadFile(path).value_or(""), HasSubstr("level=debug msg=\"shown\""));
}

TEST(InstallRuncLogTest, AnUnwritableLogIsAClearError) {
  EXPECT_THAT(InstallRuncLog("/nonexistent/dir/hull.log", LogFormat::kText, false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("open log file /nonexistent/dir/hull.log: No such file")));
}

}  // namespace
}  // namespace hull::launcher
