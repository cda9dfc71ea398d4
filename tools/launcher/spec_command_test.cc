#include "tools/launcher/spec_command.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "google/protobuf/util/message_differencer.h"
#include "testing/files.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::hull::testing::DirectoryEntries;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::ReadFile;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using SpecCommandTest = VerbTest;

TEST_F(SpecCommandTest, WritesTheDefaultConfigIntoTheBundle) {
  const VerbResult result = Run(SpecCommand(), {"--bundle", dir()});
  ASSERT_THAT(result.exit_code, IsOkAndHolds(0));
  EXPECT_THAT(result.out, IsEmpty());
  EXPECT_THAT(DirectoryEntries(dir()), ElementsAre("config.json"));
  absl::StatusOr<std::string> text = ReadFile(dir() + "/config.json");
  ASSERT_THAT(text, IsOk());
  EXPECT_TRUE(absl::EndsWith(*text, "}\n"));
  absl::StatusOr<config::Spec> written = config::LoadConfigFile(dir() + "/config.json");
  ASSERT_THAT(written, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*written, config::DefaultSpec(false)));
}

TEST_F(SpecCommandTest, RootlessWritesTheRootlessConfig) {
  ASSERT_THAT(Run(SpecCommand(), {"--rootless", "-b", dir()}).exit_code, IsOkAndHolds(0));
  absl::StatusOr<config::Spec> written = config::LoadConfigFile(dir() + "/config.json");
  ASSERT_THAT(written, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*written, config::DefaultSpec(true)));
}

TEST_F(SpecCommandTest, NeverOverwritesAConfig) {
  const std::string path = dir() + "/config.json";
  ASSERT_THAT(WriteFile(path, "mine"), IsOk());
  EXPECT_THAT(Run(SpecCommand(), {"-b", dir()}).exit_code,
              StatusIs(absl::StatusCode::kAlreadyExists,
                       absl::StrCat("File ", path, " exists. Remove it first")));
  EXPECT_THAT(ReadFile(path), IsOkAndHolds("mine"));
}

TEST_F(SpecCommandTest, AMissingBundleIsNamed) {
  const std::string path = dir() + "/none/config.json";
  EXPECT_THAT(Run(SpecCommand(), {"-b", dir() + "/none"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("create ", path, ": No such file or directory")));
}

TEST_F(SpecCommandTest, TakesNoArguments) {
  EXPECT_THAT(Run(SpecCommand(), {"-b", dir(), "extra"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "hull: \"spec\" requires exactly 0 argument(s); usage: hull spec [command "
                       "options] "));
  EXPECT_THAT(DirectoryEntries(dir()), IsEmpty());
}

}  // namespace
}  // namespace hull::launcher
