#include "tools/launcher/validate_command.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using ValidateCommandTest = VerbTest;

config::Spec Invalid() {
  config::Spec spec = config::DefaultSpec(false);
  spec.mutable_process()->set_cwd("relative");
  return spec;
}

TEST_F(ValidateCommandTest, PrintsTheBundlesConfigAsHullReadsIt) {
  const std::string bundle = WriteBundle("bundle", config::DefaultSpec(false));
  const VerbResult result = Run(ValidateCommand(), {"--bundle", bundle});
  ASSERT_THAT(result.exit_code, IsOkAndHolds(0));
  absl::StatusOr<std::string> json = config::ConfigToJson(config::DefaultSpec(false));
  ASSERT_THAT(json, IsOk());
  EXPECT_EQ(result.out, *json + "\n");
}

TEST_F(ValidateCommandTest, AGivenFileWinsOverTheBundle) {
  const std::string valid = WriteBundle("valid", config::DefaultSpec(false));
  const std::string invalid = WriteBundle("invalid", Invalid());
  const VerbResult result =
      Run(ValidateCommand(), {"-b", valid, invalid + "/config.json"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat(invalid, "/config.json: invalid config:\n"))));
  EXPECT_THAT(result.exit_code, StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("process.cwd")));
  EXPECT_THAT(result.out, IsEmpty());
}

TEST_F(ValidateCommandTest, TheErrorNamesTheBundlesConfig) {
  const std::string bundle = WriteBundle("invalid", Invalid());
  EXPECT_THAT(Run(ValidateCommand(), {"-b", bundle}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::StartsWith(absl::StrCat(bundle, "/config.json: invalid config:\n"))));
}

TEST_F(ValidateCommandTest, TakesOneFileAtMost) {
  EXPECT_THAT(Run(ValidateCommand(), {"a.json", "b.json"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "hull: \"validate\" requires 0 to 1 argument(s); usage: hull validate "
                       "[command options] [config.json]"));
}

}  // namespace
}  // namespace hull::launcher
