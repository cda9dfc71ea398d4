#include "runtime/seccomp/profile.h"

#include <linux/seccomp.h>
#include <seccomp.h>

#include <cerrno>

#include "config/seccomp_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/seccomp/profile_builder.h"
#include "testing/status_matchers.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(ProfileTest, ActionsAsRuncMapsThem) {
  EXPECT_THAT(ActionFor("SCMP_ACT_KILL", std::nullopt), IsOkAndHolds(SCMP_ACT_KILL_THREAD));
  EXPECT_THAT(ActionFor("SCMP_ACT_KILL_THREAD", std::nullopt),
              IsOkAndHolds(SCMP_ACT_KILL_THREAD));
  EXPECT_THAT(ActionFor("SCMP_ACT_KILL_PROCESS", std::nullopt),
              IsOkAndHolds(SCMP_ACT_KILL_PROCESS));
  EXPECT_THAT(ActionFor("SCMP_ACT_TRAP", std::nullopt), IsOkAndHolds(SCMP_ACT_TRAP));
  EXPECT_THAT(ActionFor("SCMP_ACT_ALLOW", std::nullopt), IsOkAndHolds(SCMP_ACT_ALLOW));
  EXPECT_THAT(ActionFor("SCMP_ACT_LOG", std::nullopt), IsOkAndHolds(SCMP_ACT_LOG));
  EXPECT_THAT(ActionFor("SCMP_ACT_NOTIFY", std::nullopt), IsOkAndHolds(SCMP_ACT_NOTIFY));
  // ERRNO and TRACE return errnoRet, EPERM without one.
  EXPECT_THAT(ActionFor("SCMP_ACT_ERRNO", std::nullopt), IsOkAndHolds(SCMP_ACT_ERRNO(EPERM)));
  EXPECT_THAT(ActionFor("SCMP_ACT_ERRNO", 38), IsOkAndHolds(SCMP_ACT_ERRNO(38)));
  EXPECT_THAT(ActionFor("SCMP_ACT_TRACE", std::nullopt), IsOkAndHolds(SCMP_ACT_TRACE(EPERM)));
  EXPECT_THAT(ActionFor("SCMP_ACT_TRACE", 7), IsOkAndHolds(SCMP_ACT_TRACE(7)));
  EXPECT_THAT(ActionFor("SCMP_ACT_DENY", std::nullopt),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown seccomp action \"SCMP_ACT_DENY\""));
}

TEST(ProfileTest, DefaultAndRuleActionsTakeTheirErrno) {
  config::Seccomp profile;
  profile.set_default_action("SCMP_ACT_ERRNO");
  EXPECT_THAT(DefaultActionOf(profile), IsOkAndHolds(SCMP_ACT_ERRNO(EPERM)));
  profile.set_default_errno_ret(ENOSYS);
  EXPECT_THAT(DefaultActionOf(profile), IsOkAndHolds(SCMP_ACT_ERRNO(ENOSYS)));
  config::Syscall rule;
  rule.set_action("SCMP_ACT_ERRNO");
  rule.set_errno_ret(0);  // given: success without the call
  EXPECT_THAT(RuleActionOf(rule), IsOkAndHolds(SCMP_ACT_ERRNO(0)));
}

TEST(ProfileTest, Operators) {
  EXPECT_THAT(OperatorFor("SCMP_CMP_NE"), IsOkAndHolds(SCMP_CMP_NE));
  EXPECT_THAT(OperatorFor("SCMP_CMP_LT"), IsOkAndHolds(SCMP_CMP_LT));
  EXPECT_THAT(OperatorFor("SCMP_CMP_LE"), IsOkAndHolds(SCMP_CMP_LE));
  EXPECT_THAT(OperatorFor("SCMP_CMP_EQ"), IsOkAndHolds(SCMP_CMP_EQ));
  EXPECT_THAT(OperatorFor("SCMP_CMP_GE"), IsOkAndHolds(SCMP_CMP_GE));
  EXPECT_THAT(OperatorFor("SCMP_CMP_GT"), IsOkAndHolds(SCMP_CMP_GT));
  EXPECT_THAT(OperatorFor("SCMP_CMP_MASKED_EQ"), IsOkAndHolds(SCMP_CMP_MASKED_EQ));
  EXPECT_THAT(OperatorFor("SCMP_CMP_IN"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown seccomp operator \"SCMP_CMP_IN\""));
}

TEST(ProfileTest, ArchitecturesAreLibseccompTokens) {
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_X86_64"), IsOkAndHolds(SCMP_ARCH_X86_64));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_X86"), IsOkAndHolds(SCMP_ARCH_X86));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_X32"), IsOkAndHolds(SCMP_ARCH_X32));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_AARCH64"), IsOkAndHolds(SCMP_ARCH_AARCH64));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_MIPSEL64N32"), IsOkAndHolds(SCMP_ARCH_MIPSEL64N32));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_RISCV64"), IsOkAndHolds(SCMP_ARCH_RISCV64));
  EXPECT_THAT(ArchitectureFor("SCMP_ARCH_Z80"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown seccomp architecture \"SCMP_ARCH_Z80\""));
  EXPECT_THAT(ArchitectureFor("x86_64"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  "unknown seccomp architecture \"x86_64\""));
}

TEST(ProfileTest, FlagsAreTheKernelsBits) {
  EXPECT_THAT(FilterFlagFor("SECCOMP_FILTER_FLAG_TSYNC"), IsOkAndHolds(0u));
  EXPECT_THAT(FilterFlagFor("SECCOMP_FILTER_FLAG_LOG"), IsOkAndHolds(SECCOMP_FILTER_FLAG_LOG));
  EXPECT_THAT(FilterFlagFor("SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
              IsOkAndHolds(SECCOMP_FILTER_FLAG_SPEC_ALLOW));
  EXPECT_THAT(FilterFlagFor("SECCOMP_FILTER_FLAG_FAST"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\""));
}

// The names the validator accepts and `hull features` lists all map.
TEST(ProfileTest, EveryNameTheConfigMayUseMaps) {
  for (absl::string_view action : config::SeccompActionNames()) {
    EXPECT_THAT(ActionFor(action, std::nullopt), IsOk()) << action;
  }
  for (const config::SeccompOperator& op : config::SeccompOperators()) {
    EXPECT_THAT(OperatorFor(op.name), IsOk()) << op.name;
  }
  for (absl::string_view architecture : config::SeccompArchitectureNames()) {
    EXPECT_THAT(ArchitectureFor(architecture), IsOk()) << architecture;
  }
  for (const config::SeccompFlag& flag : config::SeccompFlags()) {
    EXPECT_THAT(FilterFlagFor(flag.name), IsOk()) << flag.name;
  }
  EXPECT_THAT(FilterFlagFor("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
              IsOkAndHolds(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV));
}

TEST(ProfileTest, NotifyAndTheEnosysStub) {
  config::Seccomp profile;
  profile.set_default_action("SCMP_ACT_ERRNO");
  EXPECT_FALSE(UsesNotify(profile));
  EXPECT_TRUE(GetsEnosysStub(profile));
  config::Syscall& rule = *profile.add_syscalls();
  rule.add_names("mkdir");
  rule.set_action("SCMP_ACT_NOTIFY");
  EXPECT_TRUE(UsesNotify(profile));
  profile.set_default_errno_ret(ENOSYS);
  EXPECT_FALSE(GetsEnosysStub(profile));  // ENOSYS already
  profile.set_default_errno_ret(EPERM);
  EXPECT_TRUE(GetsEnosysStub(profile));
  for (const char* through : {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE"}) {
    profile.set_default_action(through);
    EXPECT_FALSE(GetsEnosysStub(profile)) << through;
  }
  for (const char* stops : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP"}) {
    profile.set_default_action(stops);
    EXPECT_TRUE(GetsEnosysStub(profile)) << stops;
  }
}

TEST(ProfileTest, ConditionsOnDistinctArgumentsMakeOneRule) {
  config::Syscall rule;
  EXPECT_THAT(RuleConditions(rule), IsOkAndHolds(ElementsAre(IsEmpty())));
  AddArg(rule, 0, "SCMP_CMP_EQ", 1);
  AddArg(rule, 1, "SCMP_CMP_MASKED_EQ", 0xf0, 0x10);
  absl::StatusOr<std::vector<std::vector<scmp_arg_cmp>>> rules = RuleConditions(rule);
  ASSERT_THAT(rules, IsOkAndHolds(SizeIs(1)));
  ASSERT_THAT((*rules)[0], SizeIs(2));
  EXPECT_EQ((*rules)[0][0].arg, 0u);
  EXPECT_EQ((*rules)[0][0].op, SCMP_CMP_EQ);
  EXPECT_EQ((*rules)[0][0].datum_a, 1u);
  EXPECT_EQ((*rules)[0][1].arg, 1u);
  EXPECT_EQ((*rules)[0][1].op, SCMP_CMP_MASKED_EQ);
  EXPECT_EQ((*rules)[0][1].datum_a, 0xf0u);
  EXPECT_EQ((*rules)[0][1].datum_b, 0x10u);
}

TEST(ProfileTest, ConditionsSharingAnArgumentMakeOneRuleEach) {
  config::Syscall rule;
  AddArg(rule, 1, "SCMP_CMP_EQ", 5);
  AddArg(rule, 0, "SCMP_CMP_GT", 7);
  AddArg(rule, 1, "SCMP_CMP_EQ", 0);
  absl::StatusOr<std::vector<std::vector<scmp_arg_cmp>>> rules = RuleConditions(rule);
  ASSERT_THAT(rules, IsOkAndHolds(SizeIs(3)));
  for (const std::vector<scmp_arg_cmp>& conditions : *rules) ASSERT_THAT(conditions, SizeIs(1));
  EXPECT_EQ((*rules)[0][0].datum_a, 5u);
  EXPECT_EQ((*rules)[1][0].op, SCMP_CMP_GT);
  EXPECT_EQ((*rules)[2][0].datum_a, 0u);
  AddArg(rule, 1, "SCMP_CMP_IN", 0);
  EXPECT_THAT(RuleConditions(rule), StatusIs(absl::StatusCode::kInvalidArgument,
                                             "unknown seccomp operator \"SCMP_CMP_IN\""));
}

}  // namespace
}  // namespace hull::runtime::seccomp
