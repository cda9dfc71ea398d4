#include "tools/launcher/list_command.h"

#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
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
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kHeader[] =
    "ID           PID      STATUS     BUNDLE                                   CREATED        "
    "                  OWNER\n";

class ListCommandTest : public VerbTest {
 protected:
  // A stopped container (nothing to reconcile) owned by `uid`.
  void Store(const std::string& id, uint32_t uid, const std::string& user_name = "") {
    statemachine::ContainerState state;
    state.set_id(id);
    state.set_bundle("/bundles/" + id);
    state.set_status(statemachine::STATE_STOPPED);
    state.mutable_owner()->set_uid(uid);
    state.mutable_owner()->set_user_name(user_name);
    ASSERT_THAT(statemachine::StateStore(root()).Create(state), IsOk());
  }
};

TEST_F(ListCommandTest, AnEmptyRootListsNothing) {
  const VerbResult table = Run(ListCommand(), {});
  ASSERT_THAT(table.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(table.out, kHeader);
  const VerbResult quiet = Run(ListCommand(), {"-q"});
  ASSERT_THAT(quiet.exit_code, IsOkAndHolds(0));
  EXPECT_THAT(quiet.out, IsEmpty());
  const VerbResult json = Run(ListCommand(), {"--format", "json"});
  ASSERT_THAT(json.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(json.out, "[]\n");
}

TEST_F(ListCommandTest, AMissingRootListsNothing) {
  const std::string missing = root() + "/missing";
  const VerbResult table = RunUnder(missing, ListCommand(), {});
  ASSERT_THAT(table.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(table.out, kHeader);
  EXPECT_EQ(RunUnder(missing, ListCommand(), {"-f", "json"}).out, "[]\n");
}

TEST_F(ListCommandTest, TheOwnerIsNamed) {
  Store("by-root", 0);
  // A uid /etc/passwd does not name; a name stored by an earlier hull; a
  // name looked up when listed (65534: Debian's nobody).
  Store("by-uid", 3999999);
  Store("by-name", 1001, "alice");
  Store("by-lookup", 65534);
  const VerbResult json = Run(ListCommand(), {"--format", "json"});
  ASSERT_THAT(json.exit_code, IsOkAndHolds(0));
  EXPECT_THAT(json.out, HasSubstr("\"id\":\"by-root\""));
  EXPECT_THAT(json.out, HasSubstr("\"bundle\":\"/bundles/by-root\""));
  EXPECT_THAT(json.out, HasSubstr("\"owner\":\"root\""));
  EXPECT_THAT(json.out, HasSubstr("\"owner\":\"3999999\""));
  EXPECT_THAT(json.out, HasSubstr("\"owner\":\"alice\""));
  EXPECT_THAT(json.out, HasSubstr("\"owner\":\"nobody\""));

  const VerbResult table = Run(ListCommand(), {});
  ASSERT_THAT(table.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(table.out,
            absl::StrCat(kHeader,
                         "by-lookup    0        stopped    /bundles/by-lookup                      "
                         " 1970-01-01T00:00:00.000000000Z   nobody\n"
                         "by-name      0        stopped    /bundles/by-name                        "
                         " 1970-01-01T00:00:00.000000000Z   alice\n"
                         "by-root      0        stopped    /bundles/by-root                        "
                         " 1970-01-01T00:00:00.000000000Z   root\n"
                         "by-uid       0        stopped    /bundles/by-uid                         "
                         " 1970-01-01T00:00:00.000000000Z   3999999\n"));
}

TEST_F(ListCommandTest, QuietListsTheIdsSorted) {
  Store("b", 0);
  Store("a", 0);
  const VerbResult quiet = Run(ListCommand(), {"--quiet"});
  ASSERT_THAT(quiet.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(quiet.out, "a\nb\n");
}

TEST_F(ListCommandTest, ABrokenContainerIsNamedOnStderr) {
  ASSERT_EQ(mkdir((root() + "/broken").c_str(), 0700), 0);
  const VerbResult listed = Run(ListCommand(), {});
  EXPECT_THAT(listed.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(listed.out, kHeader);
  EXPECT_THAT(listed.err, HasSubstr("broken"));
}

TEST_F(ListCommandTest, TheFormatIsTableOrJson) {
  const VerbResult result = Run(ListCommand(), {"--format", "yaml"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid format option: \"yaml\""));
  EXPECT_THAT(result.out, IsEmpty());
}

TEST_F(ListCommandTest, TakesNoArguments) {
  EXPECT_THAT(Run(ListCommand(), {"web"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "hull: \"list\" requires exactly 0 argument(s); usage: hull list [command "
                       "options] "));
}

// One damaged state file does not hide the others: it is reported on
// stderr, the rest listed, and list succeeds (as runc's).
TEST_F(ListCommandTest, ADamagedStateIsReportedAndTheOthersListed) {
  Store("alpha", 0);
  Store("broken", 0);
  Store("gamma", 0);
  ASSERT_THAT(testing::WriteFile(root() + "/broken/state.textproto", "id: \"broken\" status: ???"),
              IsOk());
  const VerbResult quiet = Run(ListCommand(), {"-q"});
  ASSERT_THAT(quiet.exit_code, IsOkAndHolds(0));
  EXPECT_EQ(quiet.out, "alpha\ngamma\n");
  EXPECT_THAT(quiet.err, HasSubstr("corrupt state file " + root() + "/broken/state.textproto"));
}

}  // namespace
}  // namespace hull::launcher
