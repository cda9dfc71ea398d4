#include "runtime/seccomp/enosys_stub.h"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cerrno>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/seccomp/bpf_interpreter.h"
#include "testing/status_matchers.h"

namespace hull::runtime::seccomp {
namespace {

using ::hull::testing::IsOkAndHolds;

constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;
// The "profile" after the stub: anything reaching it is allowed.
constexpr uint32_t kFilter = SECCOMP_RET_ALLOW;
constexpr uint32_t kX32 = 0x40000000;

std::vector<sock_filter> StubThenAllow(std::vector<NewestSyscall> arches) {
  std::vector<sock_filter> program = EnosysStub(arches);
  program.push_back(BPF_STMT(BPF_RET | BPF_K, kFilter));
  return program;
}

TEST(EnosysStubTest, NothingNewestNoStub) {
  EXPECT_TRUE(EnosysStub({}).empty());
  EXPECT_TRUE(EnosysStub({{.audit_arch = AUDIT_ARCH_AARCH64}}).empty());
}

TEST(EnosysStubTest, CallsAboveTheNewestGetEnosysOnTheirArchitecture) {
  const std::vector<sock_filter> program =
      StubThenAllow({{.audit_arch = AUDIT_ARCH_AARCH64, .newest = 100},
                     {.audit_arch = AUDIT_ARCH_I386, .newest = 300}});
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_AARCH64, 100)), IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_AARCH64, 101)), IsOkAndHolds(kEnosys));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_AARCH64, 0)), IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_I386, 200)), IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_I386, 301)), IsOkAndHolds(kEnosys));
  // An architecture the stub does not know goes to the filter.
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_PPC64LE, 5000)), IsOkAndHolds(kFilter));
}

TEST(EnosysStubTest, X86_64WithoutX32LeavesX32CallsToTheFilter) {
  const std::vector<sock_filter> program =
      StubThenAllow({{.audit_arch = AUDIT_ARCH_X86_64, .newest = 435}});
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, 435)), IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, 436)), IsOkAndHolds(kEnosys));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, kX32 | 500)),
              IsOkAndHolds(kFilter));
}

TEST(EnosysStubTest, X86_64AndX32EachCompareWithTheirOwnNewest) {
  const std::vector<sock_filter> program = StubThenAllow(
      {{.audit_arch = AUDIT_ARCH_X86_64, .newest = 300, .newest_x32 = kX32 | 400}});
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, 350)), IsOkAndHolds(kEnosys));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, kX32 | 350)),
              IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, kX32 | 401)),
              IsOkAndHolds(kEnosys));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, 299)), IsOkAndHolds(kFilter));
}

TEST(EnosysStubTest, X32AloneLeavesX86_64CallsToTheFilter) {
  const std::vector<sock_filter> program =
      StubThenAllow({{.audit_arch = AUDIT_ARCH_X86_64, .newest_x32 = kX32 | 400}});
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, 1000)), IsOkAndHolds(kFilter));
  EXPECT_THAT(RunProgram(program, SyscallData(AUDIT_ARCH_X86_64, kX32 | 1000)),
              IsOkAndHolds(kEnosys));
}

}  // namespace
}  // namespace hull::runtime::seccomp
