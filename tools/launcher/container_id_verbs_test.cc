// What every verb on one existing container does with its id: an unknown id
// (or a root that does not exist) is runc's "container does not exist", and
// the id is required.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/command.h"
#include "tools/launcher/delete_command.h"
#include "tools/launcher/events_command.h"
#include "tools/launcher/kill_command.h"
#include "tools/launcher/pause_command.h"
#include "tools/launcher/ps_command.h"
#include "tools/launcher/resume_command.h"
#include "tools/launcher/start_command.h"
#include "tools/launcher/state_command.h"
#include "tools/launcher/update_command.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Verb {
  Command (*command)();
  // Valid flags and arguments after the id.
  std::vector<std::string> more;
};

class ContainerIdVerbTest : public VerbTest, public ::testing::WithParamInterface<Verb> {
 protected:
  std::vector<std::string> Args(const std::string& id) const {
    std::vector<std::string> args = {id};
    args.insert(args.end(), GetParam().more.begin(), GetParam().more.end());
    return args;
  }
};

TEST_P(ContainerIdVerbTest, AnUnknownIdDoesNotExist) {
  const VerbResult result = Run(GetParam().command(), Args("nosuch"));
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nosuch"));
  EXPECT_THAT(result.out, IsEmpty());
}

TEST_P(ContainerIdVerbTest, AMissingRootHasNoContainers) {
  EXPECT_THAT(RunUnder(root() + "/missing", GetParam().command(), Args("web")).exit_code,
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: web"));
}

TEST_P(ContainerIdVerbTest, TheIdIsRequired) {
  const Command command = GetParam().command();
  EXPECT_THAT(Run(command, {}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("hull: \"", command.name, "\" requires "))));
}

INSTANTIATE_TEST_SUITE_P(
    Verbs, ContainerIdVerbTest,
    ::testing::Values(Verb{StartCommand, {}}, Verb{StateCommand, {}},
                      Verb{KillCommand, {"KILL", "--all"}}, Verb{DeleteCommand, {}},
                      Verb{PauseCommand, {}}, Verb{ResumeCommand, {}},
                      Verb{UpdateCommand, {"--memory", "64m", "--pids-limit", "5"}},
                      Verb{EventsCommand, {"--stats", "--interval", "1s"}},
                      Verb{PsCommand, {"-o", "pid"}}),
    [](const ::testing::TestParamInfo<Verb>& info) { return std::string(info.param.command().name); });

}  // namespace
}  // namespace hull::launcher
