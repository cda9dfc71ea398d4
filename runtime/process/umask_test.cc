#include "runtime/process/umask.h"

#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::RunInChild;

// The umask a child has after SetUmask(user), starting from 0777.
std::string UmaskAfter(const config::User& user) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [&] {
    umask(0777);
    SetUmask(user);
    const mode_t mask = umask(0);
    const std::string text = absl::StrFormat("%04o", mask);
    (void)!write(STDOUT_FILENO, text.data(), text.size());
    return absl::OkStatus();
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.ok() ? outcome->output : "";
}

TEST(SetUmaskTest, UsesTheConfigsUmask) {
  config::User user;
  user.set_umask(027);
  EXPECT_EQ(UmaskAfter(user), "0027");
  user.set_umask(0);
  EXPECT_EQ(UmaskAfter(user), "0000");
}

TEST(SetUmaskTest, DefaultsTo0022) { EXPECT_EQ(UmaskAfter(config::User()), "0022"); }

}  // namespace
}  // namespace hull::process
