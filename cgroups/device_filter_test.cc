#include "cgroups/device_filter.h"

#include <linux/bpf.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cgroups/device_rules.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kAny = -1;

config::DeviceCgroup Rule(bool allow, std::string type, int64_t major, int64_t minor,
                          std::string access) {
  config::DeviceCgroup rule;
  rule.set_allow(allow);
  rule.set_type(type);
  if (major != kAny) rule.set_major(major);
  if (minor != kAny) rule.set_minor(minor);
  rule.set_access(access);
  return rule;
}

// BuildDeviceFilter of `rules`, as a config's resources hold them.
absl::StatusOr<std::vector<bpf_insn>> Build(const std::vector<config::DeviceCgroup>& rules) {
  return BuildDeviceFilter(
      google::protobuf::RepeatedPtrField<config::DeviceCgroup>(rules.begin(), rules.end()));
}

// What a container from `runc spec` gets: "deny all", then runc's allowed
// devices appended.
std::vector<config::DeviceCgroup> RuncDefaultRules() {
  std::vector<config::DeviceCgroup> rules = {Rule(false, "a", kAny, kAny, "rwm")};
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) rules.push_back(rule);
  return rules;
}

// Checks the program as the kernel's verifier would for what matters here:
// every jump lands inside the program, every instruction is reachable (the
// verifier refuses dead code), every path ends in an exit.
absl::Status CheckShape(const std::vector<bpf_insn>& program) {
  std::vector<bool> reached(program.size(), false);
  std::vector<size_t> todo = {0};
  while (!todo.empty()) {
    const size_t pc = todo.back();
    todo.pop_back();
    if (pc >= program.size()) return absl::InternalError(absl::StrCat("falls off at ", pc));
    if (reached[pc]) continue;
    reached[pc] = true;
    const bpf_insn& insn = program[pc];
    if (insn.code == (BPF_JMP | BPF_EXIT)) continue;
    if (BPF_CLASS(insn.code) == BPF_JMP) {
      const int64_t target = static_cast<int64_t>(pc) + 1 + insn.off;
      if (target < 0) return absl::InternalError(absl::StrCat("jump before start at ", pc));
      todo.push_back(static_cast<size_t>(target));
    }
    todo.push_back(pc + 1);
  }
  for (size_t pc = 0; pc < program.size(); ++pc) {
    if (!reached[pc]) return absl::InternalError(absl::StrCat("unreachable instruction ", pc));
  }
  return absl::OkStatus();
}

// Runs the program on one request, the way the kernel calls it: r1 points at
// a bpf_cgroup_dev_ctx. Supports exactly the instructions the filter uses.
absl::StatusOr<uint64_t> Run(const std::vector<bpf_insn>& program, bpf_cgroup_dev_ctx context) {
  uint64_t regs[11] = {};
  std::optional<uint64_t> verdict;
  const uint32_t words[3] = {context.access_type, context.major, context.minor};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const bpf_insn& insn = program[pc];
    const uint32_t imm = static_cast<uint32_t>(insn.imm);
    switch (insn.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        if (insn.src_reg != BPF_REG_1 || insn.off % 4 != 0 || insn.off < 0 || insn.off > 8) {
          return absl::InternalError(absl::StrCat("bad context load at ", pc));
        }
        regs[insn.dst_reg] = words[insn.off / 4];
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        regs[insn.dst_reg] = static_cast<uint32_t>(regs[insn.dst_reg]) & imm;
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        regs[insn.dst_reg] = static_cast<uint32_t>(regs[insn.dst_reg]) >> imm;
        break;
      case BPF_ALU | BPF_MOV | BPF_K:
        regs[insn.dst_reg] = imm;
        break;
      case BPF_ALU | BPF_MOV | BPF_X:
        regs[insn.dst_reg] = static_cast<uint32_t>(regs[insn.src_reg]);
        break;
      case BPF_JMP | BPF_JNE | BPF_K:
        if (regs[insn.dst_reg] != static_cast<uint64_t>(static_cast<int64_t>(insn.imm))) {
          pc += insn.off;
        }
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        if (regs[insn.dst_reg] == static_cast<uint64_t>(static_cast<int64_t>(insn.imm))) {
          pc += insn.off;
        }
        break;
      case BPF_JMP | BPF_EXIT:
        verdict = regs[BPF_REG_0];
        break;
      default:
        return absl::InternalError(absl::StrCat("unexpected opcode ", insn.code, " at ", pc));
    }
    if (verdict) return *verdict;
  }
  return absl::InternalError("ran off the end");
}

enum class Type { kChar = BPF_DEVCG_DEV_CHAR, kBlock = BPF_DEVCG_DEV_BLOCK };

// Whether the filter for `rules` allows `access` ("r", "rw", "m", ...).
bool Allows(const std::vector<config::DeviceCgroup>& rules, Type type, uint32_t major,
            uint32_t minor, absl::string_view access) {
  const absl::StatusOr<std::vector<bpf_insn>> program = Build(rules);
  EXPECT_THAT(program, IsOk());
  if (!program.ok()) return false;
  EXPECT_THAT(CheckShape(*program), IsOk());
  uint32_t bits = 0;
  for (const char letter : access) {
    if (letter == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (letter == 'w') bits |= BPF_DEVCG_ACC_WRITE;
    if (letter == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
  }
  const absl::StatusOr<uint64_t> verdict = Run(
      *program, {.access_type = bits << 16 | static_cast<uint32_t>(type), .major = major,
                 .minor = minor});
  EXPECT_THAT(verdict, IsOk());
  if (!verdict.ok()) return false;
  EXPECT_TRUE(*verdict == 0 || *verdict == 1) << *verdict;
  return *verdict == 1;
}

struct Case {
  Type type;
  uint32_t major;
  uint32_t minor;
  const char* access;
  bool allowed;
};

TEST(DeviceFilterTest, RuncsDefaultRules) {
  const std::vector<config::DeviceCgroup> rules = RuncDefaultRules();
  const Case cases[] = {
      {Type::kChar, 1, 3, "rw", true},      // /dev/null
      {Type::kChar, 1, 3, "rwm", true},     //
      {Type::kChar, 1, 5, "r", true},       // /dev/zero
      {Type::kChar, 1, 7, "w", true},       // /dev/full
      {Type::kChar, 1, 8, "r", true},       // /dev/random
      {Type::kChar, 1, 9, "r", true},       // /dev/urandom
      {Type::kChar, 5, 0, "rw", true},      // /dev/tty
      {Type::kChar, 5, 2, "rw", true},      // /dev/ptmx
      {Type::kChar, 136, 0, "rw", true},    // /dev/pts/0
      {Type::kChar, 136, 4095, "r", true},  // /dev/pts/4095
      {Type::kChar, 10, 200, "rw", true},   // /dev/net/tun
      {Type::kChar, 1, 1, "r", false},      // /dev/mem
      {Type::kChar, 1, 1, "m", true},       // mknod of any char device
      {Type::kChar, 1, 1, "rm", false},     //
      {Type::kChar, 5, 1, "rw", false},     // /dev/console
      {Type::kChar, 10, 229, "rw", false},  // /dev/fuse
      {Type::kChar, 4, 1, "w", false},      // /dev/tty1
      {Type::kBlock, 8, 0, "r", false},     // /dev/sda
      {Type::kBlock, 8, 0, "w", false},     //
      {Type::kBlock, 8, 0, "m", true},      // mknod of any block device
      {Type::kBlock, 1, 3, "rw", false},    // block 1:3 is not /dev/null
      {Type::kBlock, 136, 0, "r", false},   //
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Allows(rules, c.type, c.major, c.minor, c.access), c.allowed)
        << (c.type == Type::kChar ? "c " : "b ") << c.major << ":" << c.minor << " " << c.access;
  }
}

TEST(DeviceFilterTest, NoRulesDeniesEverything) {
  EXPECT_FALSE(Allows({}, Type::kChar, 1, 3, "r"));
  EXPECT_FALSE(Allows({}, Type::kBlock, 8, 0, "m"));
}

TEST(DeviceFilterTest, AllowAllStopsTheProgramAndAllowsEverything) {
  // A privileged container: "allow all" after runc's defaults, and before.
  std::vector<config::DeviceCgroup> rules = RuncDefaultRules();
  rules.push_back(Rule(true, "a", kAny, kAny, "rwm"));
  EXPECT_TRUE(Allows(rules, Type::kBlock, 8, 0, "rw"));
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 1, "rwm"));

  rules = {Rule(true, "", kAny, kAny, "rwm")};
  const std::vector<config::DeviceCgroup> defaults = RuncDefaultRules();
  rules.insert(rules.end(), defaults.begin() + 1, defaults.end());
  EXPECT_TRUE(Allows(rules, Type::kBlock, 8, 0, "rw"));
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 1, "r"));
}

TEST(DeviceFilterTest, TheLastMatchingRuleDecides) {
  const std::vector<config::DeviceCgroup> rules = {
      Rule(true, "c", 1, 3, "rwm"),
      Rule(false, "c", 1, 3, "w"),
  };
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 3, "r"));
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 3, "m"));
  EXPECT_FALSE(Allows(rules, Type::kChar, 1, 3, "w"));
  // One denied access denies the request (an O_RDWR open).
  EXPECT_FALSE(Allows(rules, Type::kChar, 1, 3, "rw"));

  const std::vector<config::DeviceCgroup> reversed = {
      Rule(false, "c", 1, 3, "w"),
      Rule(true, "c", 1, 3, "rwm"),
  };
  EXPECT_TRUE(Allows(reversed, Type::kChar, 1, 3, "rw"));
}

TEST(DeviceFilterTest, EachAccessIsDecidedByItsOwnLastRule) {
  const std::vector<config::DeviceCgroup> rules = {
      Rule(true, "c", 1, kAny, "r"),
      Rule(true, "c", 1, 3, "w"),
  };
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 3, "rw"));
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 5, "r"));
  EXPECT_FALSE(Allows(rules, Type::kChar, 1, 5, "rw"));
  EXPECT_FALSE(Allows(rules, Type::kChar, 1, 3, "m"));
}

TEST(DeviceFilterTest, AWildcardDenyOverridesEarlierAllows) {
  const std::vector<config::DeviceCgroup> rules = {
      Rule(true, "c", 1, 3, "rwm"),
      Rule(false, "a", kAny, kAny, "w"),
  };
  EXPECT_TRUE(Allows(rules, Type::kChar, 1, 3, "r"));
  EXPECT_FALSE(Allows(rules, Type::kChar, 1, 3, "w"));
}

TEST(DeviceFilterTest, TypeAllWithNumbersMatchesBothTypes) {
  const std::vector<config::DeviceCgroup> rules = {Rule(true, "a", 7, kAny, "rw")};
  EXPECT_TRUE(Allows(rules, Type::kChar, 7, 1, "rw"));
  EXPECT_TRUE(Allows(rules, Type::kBlock, 7, 1, "r"));
  EXPECT_FALSE(Allows(rules, Type::kBlock, 8, 1, "r"));
  EXPECT_FALSE(Allows(rules, Type::kBlock, 7, 1, "m"));
}

TEST(DeviceFilterTest, MinusOneIsAnyAsRuncReadsIt) {
  config::DeviceCgroup rule = Rule(true, "c", kAny, kAny, "r");
  rule.set_major(-1);
  rule.set_minor(-1);
  EXPECT_TRUE(Allows({rule}, Type::kChar, 42, 7, "r"));
  rule.set_major(42);
  EXPECT_TRUE(Allows({rule}, Type::kChar, 42, 7, "r"));
  EXPECT_FALSE(Allows({rule}, Type::kChar, 43, 7, "r"));
}

// runc's first rule, "deny all", is what the program does when no rule
// matches: it costs no instruction, the program is the same without it.
TEST(DeviceFilterTest, ALeadingDenyAllIsTheVerdictWhenNoRuleMatches) {
  const absl::StatusOr<std::vector<bpf_insn>> with_deny_all = Build(RuncDefaultRules());
  const absl::StatusOr<std::vector<bpf_insn>> without = Build(DefaultDeviceRules());
  ASSERT_THAT(with_deny_all, IsOk());
  ASSERT_THAT(without, IsOk());
  ASSERT_EQ(with_deny_all->size(), without->size());
  EXPECT_EQ(std::memcmp(with_deny_all->data(), without->data(), without->size() * sizeof(bpf_insn)),
            0);
}

TEST(DeviceFilterTest, RefusesMalformedRules) {
  EXPECT_THAT(Build({Rule(true, "u", 1, 3, "rwm")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.devices[0].type")));
  EXPECT_THAT(Build({Rule(true, "c", 1, 3, "rwm"), Rule(true, "c", 1, 3, "")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.devices[1].access")));
  EXPECT_THAT(Build({Rule(true, "c", 1, 3, "xy")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"xy\"")));
  EXPECT_THAT(Build({Rule(true, "c", -2, 3, "r")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.devices[0]")));
  EXPECT_THAT(Build({Rule(true, "c", 1, int64_t{1} << 31, "r")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.devices[0].minor: 2147483648 is not a device "
                                 "number")));
}

}  // namespace
}  // namespace hull::cgroups
