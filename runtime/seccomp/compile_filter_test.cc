#include "runtime/seccomp/compile_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <cerrno>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "gtest/gtest.h"
#include "runtime/seccomp/bpf_interpreter.h"
#include "runtime/seccomp/filter.h"
#include "runtime/seccomp/profile_builder.h"
#include "testing/status_matchers.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;

class CompileFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (seccomp_arch_native() != SCMP_ARCH_X86_64) GTEST_FAIL() << "cannot run on this host: the numbers are x86_64's";
  }

  // What the compiled filter answers to `name` on x86_64 with `args`.
  absl::StatusOr<uint32_t> Answer(const Filter& filter, const char* name,
                                  std::initializer_list<uint64_t> args = {}) {
    return Answer(filter, seccomp_syscall_resolve_name(name), args);
  }
  absl::StatusOr<uint32_t> Answer(const Filter& filter, int nr,
                                  std::initializer_list<uint64_t> args = {}) {
    return RunProgram(filter.program, SyscallData(AUDIT_ARCH_X86_64, nr, args));
  }

  config::Seccomp profile_;
};

TEST_F(CompileFilterTest, ARuleAnswersWithItsErrnoAndTheRestGetsTheDefault) {
  profile_.set_default_action("SCMP_ACT_ALLOW");
  // An unknown name is skipped; socketcall is x86's, not x86_64's.
  AddRule(profile_, {"mkdir", "mkdirat", "no_such_call", "socketcall"}, "SCMP_ACT_ERRNO")
      .set_errno_ret(38);
  AddRule(profile_, {"getppid"}, "SCMP_ACT_ERRNO");
  AddRule(profile_, {"getpid"}, "SCMP_ACT_ALLOW");  // the default's: skipped
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_EQ(filter->flags, 0u);
  EXPECT_THAT(Answer(*filter, "mkdir"), IsOkAndHolds(SECCOMP_RET_ERRNO | 38));
  EXPECT_THAT(Answer(*filter, "mkdirat"), IsOkAndHolds(SECCOMP_RET_ERRNO | 38));
  EXPECT_THAT(Answer(*filter, "getppid"), IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));
  EXPECT_THAT(Answer(*filter, "getpid"), IsOkAndHolds(SECCOMP_RET_ALLOW));
  // No stub with an allowing default: a new call gets the default too.
  EXPECT_THAT(Answer(*filter, 1000), IsOkAndHolds(SECCOMP_RET_ALLOW));
}

TEST_F(CompileFilterTest, EveryActionIsTheKernelsAnswer) {
  profile_.set_default_action("SCMP_ACT_ALLOW");
  profile_.set_listener_path("/run/agent.sock");
  AddRule(profile_, {"getpid"}, "SCMP_ACT_KILL");
  AddRule(profile_, {"getppid"}, "SCMP_ACT_KILL_THREAD");
  AddRule(profile_, {"getuid"}, "SCMP_ACT_KILL_PROCESS");
  AddRule(profile_, {"getgid"}, "SCMP_ACT_TRAP");
  AddRule(profile_, {"geteuid"}, "SCMP_ACT_TRACE").set_errno_ret(9);
  AddRule(profile_, {"getegid"}, "SCMP_ACT_LOG");
  AddRule(profile_, {"mkdir"}, "SCMP_ACT_NOTIFY");
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_TRUE(filter->new_listener());
  EXPECT_THAT(Answer(*filter, "getpid"), IsOkAndHolds(SECCOMP_RET_KILL_THREAD));
  EXPECT_THAT(Answer(*filter, "getppid"), IsOkAndHolds(SECCOMP_RET_KILL_THREAD));
  EXPECT_THAT(Answer(*filter, "getuid"), IsOkAndHolds(SECCOMP_RET_KILL_PROCESS));
  EXPECT_THAT(Answer(*filter, "getgid"), IsOkAndHolds(SECCOMP_RET_TRAP));
  EXPECT_THAT(Answer(*filter, "geteuid"), IsOkAndHolds(SECCOMP_RET_TRACE | 9));
  EXPECT_THAT(Answer(*filter, "getegid"), IsOkAndHolds(SECCOMP_RET_LOG));
  EXPECT_THAT(Answer(*filter, "mkdir"), IsOkAndHolds(SECCOMP_RET_USER_NOTIF));
  EXPECT_THAT(Answer(*filter, "read"), IsOkAndHolds(SECCOMP_RET_ALLOW));
}

TEST_F(CompileFilterTest, CallsNewerThanTheProfileGetEnosys) {
  // An allow-list: openat (257) is the newest it names.
  profile_.set_default_action("SCMP_ACT_ERRNO");
  AddRule(profile_, {"read", "write", "openat"}, "SCMP_ACT_ALLOW");
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "openat"), IsOkAndHolds(SECCOMP_RET_ALLOW));
  EXPECT_THAT(Answer(*filter, "mkdir"), IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));  // 83
  EXPECT_THAT(Answer(*filter, "clone3"), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));  // 435
  EXPECT_THAT(Answer(*filter, 258), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));
  EXPECT_THAT(Answer(*filter, 5000), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));

  // A default of ENOSYS needs no stub; nor does one that lets calls through.
  profile_.set_default_errno_ret(ENOSYS);
  filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "mkdir"), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));
  profile_.clear_default_errno_ret();
  profile_.set_default_action("SCMP_ACT_LOG");
  filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "clone3"), IsOkAndHolds(SECCOMP_RET_LOG));
}

TEST_F(CompileFilterTest, ALongProfileIsABinaryTreeThatAnswersTheSame) {
  // More than 32 rules: libseccomp's binary tree, as runc asks for it.
  profile_.set_default_action("SCMP_ACT_ERRNO");
  for (int nr = 0; nr < 80; nr += 2) {
    char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    ASSERT_NE(name, nullptr) << nr;
    AddRule(profile_, {name}, "SCMP_ACT_ALLOW");
    free(name);
  }
  ASSERT_GT(profile_.syscalls_size(), 32);
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  for (int nr = 0; nr < 79; ++nr) {
    EXPECT_THAT(Answer(*filter, nr),
                IsOkAndHolds(nr % 2 == 0 ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | EPERM))
        << nr;
  }
  EXPECT_THAT(Answer(*filter, 79), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));
}

TEST_F(CompileFilterTest, KillByDefaultStillGivesNewCallsEnosys) {
  profile_.set_default_action("SCMP_ACT_KILL_PROCESS");
  AddRule(profile_, {"read", "exit_group"}, "SCMP_ACT_ALLOW");  // 0 and 231
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "write"), IsOkAndHolds(SECCOMP_RET_KILL_PROCESS));
  EXPECT_THAT(Answer(*filter, "exit_group"), IsOkAndHolds(SECCOMP_RET_ALLOW));
  EXPECT_THAT(Answer(*filter, 232), IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));
}

TEST_F(CompileFilterTest, ConditionsOnDistinctArgumentsMustAllHold) {
  profile_.set_default_action("SCMP_ACT_ALLOW");
  config::Syscall& rule = AddRule(profile_, {"kill"}, "SCMP_ACT_ERRNO");
  AddArg(rule, 0, "SCMP_CMP_EQ", 1);
  AddArg(rule, 1, "SCMP_CMP_MASKED_EQ", 0xf0, 0x10);
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "kill", {1, 0x13}), IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));
  EXPECT_THAT(Answer(*filter, "kill", {1, 0x23}), IsOkAndHolds(SECCOMP_RET_ALLOW));
  EXPECT_THAT(Answer(*filter, "kill", {2, 0x13}), IsOkAndHolds(SECCOMP_RET_ALLOW));
}

TEST_F(CompileFilterTest, ConditionsSharingAnArgumentAreSeparateRules) {
  // runc: either condition suffices (one rule each).
  profile_.set_default_action("SCMP_ACT_ALLOW");
  config::Syscall& rule = AddRule(profile_, {"kill"}, "SCMP_ACT_ERRNO");
  AddArg(rule, 1, "SCMP_CMP_EQ", 5);
  AddArg(rule, 1, "SCMP_CMP_EQ", 0);
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(Answer(*filter, "kill", {1, 0}), IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));
  EXPECT_THAT(Answer(*filter, "kill", {1, 5}), IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));
  EXPECT_THAT(Answer(*filter, "kill", {1, 9}), IsOkAndHolds(SECCOMP_RET_ALLOW));
}

TEST_F(CompileFilterTest, EachOperatorComparesAs64BitValues) {
  profile_.set_default_action("SCMP_ACT_ALLOW");
  const struct {
    const char* op;
    const char* name;
  } kRules[] = {{"SCMP_CMP_NE", "setuid"}, {"SCMP_CMP_LT", "setgid"},
                {"SCMP_CMP_LE", "setfsuid"}, {"SCMP_CMP_GE", "setfsgid"},
                {"SCMP_CMP_GT", "personality"}};
  for (const auto& rule : kRules) {
    AddArg(AddRule(profile_, {rule.name}, "SCMP_ACT_ERRNO"), 0, rule.op, 0x100000000);
  }
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  const uint32_t kDenied = SECCOMP_RET_ERRNO | EPERM;
  const uint32_t kAllowed = SECCOMP_RET_ALLOW;
  const uint64_t kEqual = 0x100000000, kLess = 0xffffffff, kGreater = 0x100000001;
  EXPECT_THAT(Answer(*filter, "setuid", {kEqual}), IsOkAndHolds(kAllowed));
  EXPECT_THAT(Answer(*filter, "setuid", {kLess}), IsOkAndHolds(kDenied));
  EXPECT_THAT(Answer(*filter, "setgid", {kLess}), IsOkAndHolds(kDenied));
  EXPECT_THAT(Answer(*filter, "setgid", {kEqual}), IsOkAndHolds(kAllowed));
  EXPECT_THAT(Answer(*filter, "setfsuid", {kEqual}), IsOkAndHolds(kDenied));
  EXPECT_THAT(Answer(*filter, "setfsuid", {kGreater}), IsOkAndHolds(kAllowed));
  EXPECT_THAT(Answer(*filter, "setfsgid", {kEqual}), IsOkAndHolds(kDenied));
  EXPECT_THAT(Answer(*filter, "setfsgid", {kLess}), IsOkAndHolds(kAllowed));
  EXPECT_THAT(Answer(*filter, "personality", {kGreater}), IsOkAndHolds(kDenied));
  EXPECT_THAT(Answer(*filter, "personality", {kEqual}), IsOkAndHolds(kAllowed));
}

TEST_F(CompileFilterTest, AddedArchitecturesHaveTheirOwnNumbersAndOthersAreKilled) {
  profile_.set_default_action("SCMP_ACT_ERRNO");
  profile_.add_architectures("SCMP_ARCH_X86");
  profile_.add_architectures("SCMP_ARCH_X86_64");  // native: already there
  AddRule(profile_, {"getpid"}, "SCMP_ACT_ALLOW");
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  const int i386_getpid = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "getpid");  // 20
  EXPECT_THAT(RunProgram(filter->program, SyscallData(AUDIT_ARCH_I386, i386_getpid)),
              IsOkAndHolds(SECCOMP_RET_ALLOW));
  EXPECT_THAT(RunProgram(filter->program, SyscallData(AUDIT_ARCH_I386, i386_getpid - 1)),
              IsOkAndHolds(SECCOMP_RET_ERRNO | EPERM));
  EXPECT_THAT(RunProgram(filter->program, SyscallData(AUDIT_ARCH_I386, i386_getpid + 1)),
              IsOkAndHolds(SECCOMP_RET_ERRNO | ENOSYS));
  EXPECT_THAT(Answer(*filter, "getpid"), IsOkAndHolds(SECCOMP_RET_ALLOW));
  // An architecture outside the filter: libseccomp's bad-arch action.
  EXPECT_THAT(RunProgram(filter->program, SyscallData(AUDIT_ARCH_AARCH64, 172)),
              IsOkAndHolds(SECCOMP_RET_KILL_THREAD));
}

TEST_F(CompileFilterTest, FlagsAreTheKernels) {
  profile_.set_default_action("SCMP_ACT_ALLOW");
  profile_.add_flags("SECCOMP_FILTER_FLAG_TSYNC");
  profile_.add_flags("SECCOMP_FILTER_FLAG_LOG");
  profile_.add_flags("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  EXPECT_EQ(filter->flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
}

TEST_F(CompileFilterTest, ErrorsNameTheField) {
  profile_.set_default_action("SCMP_ACT_DENY");
  EXPECT_THAT(CompileFilter(profile_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_DENY\""));
  profile_.set_default_action("SCMP_ACT_ALLOW");
  profile_.add_architectures("SCMP_ARCH_Z80");
  EXPECT_THAT(CompileFilter(profile_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.seccomp.architectures[0]: unknown seccomp architecture "
                       "\"SCMP_ARCH_Z80\""));
  profile_.clear_architectures();
  AddArg(AddRule(profile_, {"kill"}, "SCMP_ACT_ERRNO"), 0, "SCMP_CMP_IN", 1);
  EXPECT_THAT(CompileFilter(profile_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "linux.seccomp.syscalls[0]: unknown seccomp operator \"SCMP_CMP_IN\""));
}

TEST_F(CompileFilterTest, TheProgramSurvivesItsBytes) {
  profile_.set_default_action("SCMP_ACT_ERRNO");
  AddRule(profile_, {"read"}, "SCMP_ACT_ALLOW");
  absl::StatusOr<Filter> filter = CompileFilter(profile_);
  ASSERT_THAT(filter, IsOk());
  absl::StatusOr<std::vector<sock_filter>> program = ProgramFromBytes(ProgramBytes(*filter));
  ASSERT_THAT(program, IsOk());
  ASSERT_EQ(program->size(), filter->program.size());
  EXPECT_EQ(ProgramBytes({.program = *program}), ProgramBytes(*filter));
  EXPECT_THAT(ProgramFromBytes("12345"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  "a seccomp program of 5 bytes is not whole "
                                                  "BPF instructions"));
}

}  // namespace
}  // namespace hull::runtime::seccomp
