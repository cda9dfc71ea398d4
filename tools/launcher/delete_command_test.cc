#include "tools/launcher/delete_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "testing/files.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
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

// A container whose state file is damaged or gone: delete --force removes
// it from what is on disk; a plain delete reports the damage.
TEST_F(DeleteCommandTest, ForceRemovesAContainerWhoseStateIsDamagedOrMissing) {
  for (const char* damage : {"garbage", "missing"}) {
    statemachine::ContainerState state;
    state.set_id("web");
    state.set_status(statemachine::STATE_STOPPED);
    ASSERT_THAT(statemachine::StateStore(root()).Create(state), IsOk());
    const std::string file = root() + "/web/state.textproto";
    if (std::string(damage) == "missing") {
      ASSERT_EQ(unlink(file.c_str()), 0);
    } else {
      ASSERT_THAT(testing::WriteFile(file, "id: \"web\" pid: {{{"), IsOk());
    }
    EXPECT_THAT(Run(DeleteCommand(), {"web"}).exit_code,
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr(file)))
        << damage;
    const VerbResult forced = Run(DeleteCommand(), {"-f", "web"});
    EXPECT_THAT(forced.exit_code, IsOkAndHolds(0)) << damage << ": " << forced.err;
    EXPECT_THAT(testing::DirectoryEntries(root()), IsEmpty()) << damage;
  }
}

// A create killed before its state directory was whole leaves .<id>.XXXXXX:
// delete --force of the id, which does not exist, removes it.
TEST_F(DeleteCommandTest, ForceOfAnUnknownIdRemovesWhatACrashedCreateLeft) {
  ASSERT_EQ(mkdir((root() + "/.web.Ab12Cd").c_str(), 0700), 0);
  ASSERT_THAT(testing::WriteFile(root() + "/.web.Ab12Cd/state.textproto", "id: \"web\"\n"), IsOk());
  ASSERT_EQ(mkdir((root() + "/.other.Ab12Cd").c_str(), 0700), 0);
  EXPECT_THAT(Run(DeleteCommand(), {"-f", "web"}).exit_code, IsOkAndHolds(0));
  EXPECT_THAT(testing::DirectoryEntries(root()), ElementsAre(".other.Ab12Cd"));
}

}  // namespace
}  // namespace hull::launcher
