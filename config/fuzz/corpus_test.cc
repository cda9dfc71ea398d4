// Every malformed input is refused with a message that names its source;
// every valid seed loads.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/fuzz/expected_errors.h"
#include "config/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path().string());
  }
  return files;
}

TEST(CorpusTest, EveryMalformedInputIsRefusedWithAMessageNamingIt) {
  const std::vector<std::string> files = FilesIn("config/fuzz/corpus/malformed");
  EXPECT_GE(files.size(), 200u);
  for (const std::string& file : files) {
    const absl::StatusOr<Spec> spec = LoadConfigFile(file);
    ASSERT_FALSE(spec.ok()) << file << " was accepted";
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << file;
    const absl::string_view message = spec.status().message();
    EXPECT_TRUE(absl::StartsWith(message, absl::StrCat(file, ":"))) << message;
    EXPECT_GT(message.size(), file.size() + 5) << message;
  }
}

// The generated inputs (generate_corpus.py) fail for the reason they were
// made for.
TEST(CorpusTest, EveryGeneratedInputFailsAsExpected) {
  absl::StatusOr<std::map<std::string, std::string>> expected =
      ::hull::fuzz::ReadExpectedErrors("config/fuzz/corpus/expected_errors.tsv");
  ASSERT_THAT(expected, ::hull::testing::IsOk());
  EXPECT_GE(expected->size(), 100u);
  for (const std::string& file : FilesIn("config/fuzz/corpus/malformed")) {
    const std::string name = std::filesystem::path(file).filename();
    EXPECT_EQ(absl::StartsWith(name, "gen_"), expected->contains(name))
        << name << ": generated files and expected_errors.tsv differ; rerun generate_corpus.py";
  }
  for (const auto& [name, substring] : *expected) {
    const std::string file = absl::StrCat("config/fuzz/corpus/malformed/", name);
    const absl::StatusOr<Spec> spec = LoadConfigFile(file);
    ASSERT_FALSE(spec.ok()) << file << " was accepted";
    EXPECT_THAT(std::string(spec.status().message()), HasSubstr(substring)) << file;
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
