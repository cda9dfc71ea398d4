#include "config/seccomp_names.h"

#include <linux/seccomp.h>

namespace hull::config {
namespace {

// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV goes with SCMP_FLTATR_CTL_WAITKILL,
// which libseccomp has from 2.6 on.
constexpr bool kLibseccompHasWaitKillableRecv =
    SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6);

}  // namespace

absl::Span<const absl::string_view> SeccompActionNames() {
  static constexpr absl::string_view kActions[] = {
      "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
      "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
      "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY"};
  return kActions;
}

absl::Span<const SeccompOperator> SeccompOperators() {
  static constexpr SeccompOperator kOperators[] = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE}, {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
  };
  return kOperators;
}

absl::Span<const absl::string_view> SeccompArchitectureNames() {
  static constexpr absl::string_view kArchitectures[] = {
      "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
      "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
      "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
      "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"};
  return kArchitectures;
}

absl::Span<const SeccompFlag> SeccompFlags() {
  static constexpr SeccompFlag kFlags[] = {
      {"SECCOMP_FILTER_FLAG_TSYNC", 0, true},
      {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG, true},
      {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW, true},
      {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
       kLibseccompHasWaitKillableRecv},
  };
  return kFlags;
}

const SeccompFlag* FindSeccompFlag(absl::string_view name) {
  for (const SeccompFlag& flag : SeccompFlags()) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

}  // namespace hull::config
