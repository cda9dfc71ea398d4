// Every malformed state file is refused by StateStore::LoadWithoutConfig (what
// Load reads first) as DataLoss with a
// message that names the file (and, for the generated ones, the reason they
// were made for); every valid seed loads.
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/fuzz/expected_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::statemachine {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kMalformed[] = "statemachine/fuzz/corpus/malformed";
constexpr char kValid[] = "statemachine/fuzz/corpus/valid";
// The container every corpus file is the state of.
constexpr char kId[] = "fuzz";

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path().string());
  }
  return files;
}

// A store whose container "fuzz" has a corpus file as its state file.
class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> root = ::hull::testing::MakeTempDir("state-corpus");
    ASSERT_THAT(root, IsOk());
    root_ = *root;
    ASSERT_EQ(mkdir((root_ + "/" + kId).c_str(), 0700), 0);
  }
  void TearDown() override { ::hull::testing::RemoveTree(root_); }

  absl::StatusOr<ContainerState> LoadAsStateFile(const std::string& file) {
    absl::StatusOr<std::string> contents = ::hull::testing::ReadFile(file);
    if (!contents.ok()) return contents.status();
    if (absl::Status written = ::hull::testing::WriteFile(store().StateFilePath(kId), *contents);
        !written.ok()) {
      return written;
    }
    // The state file alone (the config file is not the corpus's).
    return store().LoadWithoutConfig(kId);
  }

  StateStore store() const { return StateStore(root_); }

  std::string root_;
};

TEST_F(CorpusTest, EveryMalformedStateFileIsDataLossNamingIt) {
  const std::vector<std::string> files = FilesIn(kMalformed);
  EXPECT_GE(files.size(), 100u);
  const std::string path = store().StateFilePath(kId);
  for (const std::string& file : files) {
    const absl::StatusOr<ContainerState> state = LoadAsStateFile(file);
    EXPECT_THAT(state, StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path))) << file;
  }
}

// The generated files (generate_corpus.py) fail for the reason they were made
// for.
TEST_F(CorpusTest, EveryGeneratedStateFileFailsAsExpected) {
  absl::StatusOr<std::map<std::string, std::string>> expected =
      ::hull::fuzz::ReadExpectedErrors("statemachine/fuzz/corpus/expected_errors.tsv");
  ASSERT_THAT(expected, IsOk());
  EXPECT_GE(expected->size(), 100u);
  for (const std::string& file : FilesIn(kMalformed)) {
    const std::string name = std::filesystem::path(file).filename();
    EXPECT_EQ(absl::StartsWith(name, "gen_"), expected->contains(name))
        << name << ": generated files and expected_errors.tsv differ; rerun generate_corpus.py";
  }
  for (const auto& [name, substring] : *expected) {
    const std::string file = absl::StrCat(kMalformed, "/", name);
    const absl::StatusOr<ContainerState> state = LoadAsStateFile(file);
    ASSERT_FALSE(state.ok()) << file << " was accepted";
    EXPECT_THAT(std::string(state.status().message()), HasSubstr(substring)) << file;
  }
}

TEST_F(CorpusTest, EveryValidSeedLoads) {
  const std::vector<std::string> files = FilesIn(kValid);
  EXPECT_GE(files.size(), 5u);
  for (const std::string& file : files) {
    const absl::StatusOr<ContainerState> state = LoadAsStateFile(file);
    ASSERT_THAT(state, IsOk()) << file;
    EXPECT_EQ(state->id(), kId) << file;
  }
}

}  // namespace
}  // namespace hull::statemachine
