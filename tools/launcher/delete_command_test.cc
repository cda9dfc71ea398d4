#include "tools/launcher/delete_command.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::IsEmpty;

using DeleteCommandTest = VerbTest;

TEST_F(DeleteCommandTest, ForceDeletesAnUnknownIdQuietly) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-f", "nosuch"}, {"--force", "nosuch"}, {"nosuch", "--force"}}) {
    const VerbResult result = Run(DeleteCommand(), args);
    EXPECT_THAT(result.exit_code, IsOkAndHolds(0)) << args[0];
    EXPECT_THAT(result.out, IsEmpty());
    EXPECT_THAT(result.err, IsEmpty());
  }
  EXPECT_THAT(RunUnder(root() + "/missing", DeleteCommand(), {"-f", "nosuch"}).exit_code,
              IsOkAndHolds(0));
}

TEST_F(DeleteCommandTest, WithoutForceAnUnknownIdDoesNotExist) {
  EXPECT_THAT(Run(DeleteCommand(), {"nosuch"}).exit_code,
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nosuch"));
  EXPECT_THAT(Run(DeleteCommand(), {"--force=false", "nosuch"}).exit_code,
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nosuch"));
}

}  // namespace
}  // namespace hull::launcher
