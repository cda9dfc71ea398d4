#include "tools/launcher/verb_runner.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "config/json.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::launcher {

void VerbTest::SetUp() {
  absl::StatusOr<std::string> root = testing::MakeTempDir("root");
  ASSERT_TRUE(root.ok()) << root.status();
  root_ = *std::move(root);
  absl::StatusOr<std::string> dir = testing::MakeTempDir("files");
  ASSERT_TRUE(dir.ok()) << dir.status();
  dir_ = *std::move(dir);
}

VerbResult VerbTest::RunUnder(const std::string& root, const Command& command,
                              const std::vector<std::string>& args) const {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  VerbResult result{.exit_code = 0};
  absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(command, args);
  if (!flags.ok()) {
    result.exit_code = flags.status();
  } else if (!flags->IsSet("help")) {
    result.exit_code = command.run(GlobalOptions{.root = root}, *flags);
  }
  result.out = ::testing::internal::GetCapturedStdout();
  result.err = ::testing::internal::GetCapturedStderr();
  return result;
}

std::string VerbTest::WriteBundle(const std::string& name, const config::Spec& spec) const {
  const std::string bundle = absl::StrCat(dir_, "/", name);
  EXPECT_EQ(mkdir(bundle.c_str(), 0755), 0) << bundle;
  absl::StatusOr<std::string> json = config::ConfigToJson(spec);
  EXPECT_THAT(json, testing::IsOk());
  EXPECT_THAT(testing::WriteFile(bundle + "/config.json", json.value_or("")), testing::IsOk());
  return bundle;
}

}  // namespace hull::launcher
