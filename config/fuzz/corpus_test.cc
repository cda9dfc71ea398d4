// Every malformed input is refused with a message that names its source;
// every valid seed loads.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path().string());
  }
  return files;
}

TEST(CorpusTest, EveryMalformedInputIsRefusedWithAMessageNamingIt) {
  const std::vector<std::string> files = FilesIn("config/fuzz/corpus/malformed");
  EXPECT_GE(files.size(), 50u);
  for (const std::string& file : files) {
    const absl::StatusOr<Spec> spec = LoadConfigFile(file);
    ASSERT_FALSE(spec.ok()) << file << " was accepted";
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << file;
    const absl::string_view message = spec.status().message();
    EXPECT_TRUE(absl::StartsWith(message, absl::StrCat(file, ":"))) << message;
    EXPECT_GT(message.size(), file.size() + 5) << message;
  }
}

TEST(CorpusTest, EveryValidSeedLoads) {
  const std::vector<std::string> files = FilesIn("config/fuzz/corpus/valid");
  EXPECT_GE(files.size(), 5u);
  for (const std::string& file : files) {
    EXPECT_THAT(LoadConfigFile(file), ::hull::testing::IsOk()) << file;
  }
}

}  // namespace
}  // namespace hull::config
