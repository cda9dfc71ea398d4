#include "runtime/process/environment.h"

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/repeated_field.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Optional;

google::protobuf::RepeatedPtrField<std::string> Env(std::initializer_list<std::string> entries) {
  return google::protobuf::RepeatedPtrField<std::string>(entries.begin(), entries.end());
}

const std::string kPath = std::string("PATH=") + kDefaultPath;

TEST(BuildEnvironmentTest, KeepsTheConfigsEnvironment) {
  EXPECT_THAT(
      BuildEnvironment(Env({"PATH=/bin", "HOME=/root", "TERM=xterm", "EMPTY="}), "/home/user"),
      IsOkAndHolds(ElementsAre("PATH=/bin", "HOME=/root", "TERM=xterm", "EMPTY=")));
}

TEST(BuildEnvironmentTest, AddsHomeAndPathWhenMissing) {
  EXPECT_THAT(BuildEnvironment(Env({"TERM=xterm"}), "/home/user"),
              IsOkAndHolds(ElementsAre("TERM=xterm", "HOME=/home/user", kPath)));
}

TEST(BuildEnvironmentTest, ReplacesAnEmptyHome) {
  EXPECT_THAT(BuildEnvironment(Env({"HOME=", "PATH=/bin"}), "/root"),
              IsOkAndHolds(ElementsAre("HOME=/root", "PATH=/bin")));
}

TEST(BuildEnvironmentTest, KeepsAnEmptyPath) {
  EXPECT_THAT(BuildEnvironment(Env({"PATH=", "HOME=/"}), "/root"),
              IsOkAndHolds(ElementsAre("PATH=", "HOME=/")));
}

TEST(BuildEnvironmentTest, LaterEntriesWinInPlace) {
  EXPECT_THAT(BuildEnvironment(Env({"A=1", "HOME=/h", "A=2", "PATH=/p", "A=3"}), "/root"),
              IsOkAndHolds(ElementsAre("A=3", "HOME=/h", "PATH=/p")));
}

TEST(BuildEnvironmentTest, ValuesMayHoldEqualsSigns) {
  EXPECT_THAT(BuildEnvironment(Env({"OPTS=a=b=c", "HOME=/", "PATH=/"}), "/"),
              IsOkAndHolds(ElementsAre("OPTS=a=b=c", "HOME=/", "PATH=/")));
}

TEST(BuildEnvironmentTest, RefusesMalformedEntries) {
  EXPECT_THAT(BuildEnvironment(Env({"NOVALUE"}), "/"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid environment variable \"NOVALUE\": missing '='"));
  EXPECT_THAT(BuildEnvironment(Env({"=value"}), "/"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid environment variable \"=value\": name cannot be empty"));
  EXPECT_THAT(BuildEnvironment(Env({std::string("A=x\0y", 5)}), "/"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid environment variable \"A\": contains a NUL byte"));
}

TEST(FindVariableTest, MatchesWholeNames) {
  const std::vector<std::string> env = {"PATHX=1", "PATH=/bin:/usr/bin", "EMPTY="};
  EXPECT_THAT(FindVariable(env, "PATH"), Optional(Eq("/bin:/usr/bin")));
  EXPECT_THAT(FindVariable(env, "EMPTY"), Optional(Eq("")));
  EXPECT_EQ(FindVariable(env, "PAT"), absl::nullopt);
  EXPECT_EQ(FindVariable(env, "HOME"), absl::nullopt);
}

}  // namespace
}  // namespace hull::process
