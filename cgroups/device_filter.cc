#include "cgroups/device_filter.h"

#include <linux/bpf.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cgroups/device_rules.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

// Registers: r1 holds the context (struct bpf_cgroup_dev_ctx) on entry and is
// scratch afterwards; r0 is the verdict.
constexpr uint8_t kVerdict = BPF_REG_0;
constexpr uint8_t kScratch = BPF_REG_1;
constexpr uint8_t kType = BPF_REG_2;
constexpr uint8_t kMajor = BPF_REG_4;
constexpr uint8_t kMinor = BPF_REG_5;
// The accesses of the request no rule has allowed yet (callee-saved r6).
constexpr uint8_t kPending = BPF_REG_6;

constexpr int32_t kAllAccess = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;

bpf_insn Insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn insn{};
  insn.code = code;
  insn.dst_reg = dst;
  insn.src_reg = src;
  insn.off = off;
  insn.imm = imm;
  return insn;
}

bpf_insn LoadWord(uint8_t dst, int16_t offset) {
  return Insn(BPF_LDX | BPF_MEM | BPF_W, dst, BPF_REG_1, offset, 0);
}
bpf_insn Alu32(uint8_t op, uint8_t dst, int32_t imm) {
  return Insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn Move32(uint8_t dst, uint8_t src) { return Insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn Jump(uint8_t op, uint8_t dst, int32_t imm, int16_t offset) {
  return Insn(BPF_JMP | op | BPF_K, dst, 0, offset, imm);
}
bpf_insn Exit() { return Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

// A rule in the program's terms.
struct Rule {
  std::optional<int32_t> type;  // BPF_DEVCG_DEV_*; none for "a"
  std::optional<int32_t> major;
  std::optional<int32_t> minor;
  int32_t access;  // BPF_DEVCG_ACC_* bits
  bool allow;
};

// A validated rule's device number: none for "any" (absent or -1). `field`
// ("major" or "minor") of rule `index` names it in an error.
absl::StatusOr<std::optional<int32_t>> DeviceNumber(bool present, int64_t number, int index,
                                                    absl::string_view field) {
  if (!present || number < 0) return std::nullopt;
  // The kernel's numbers have 12 (major) and 20 (minor) bits; the program
  // compares with a sign-extended 32-bit immediate.
  if (number > std::numeric_limits<int32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat(DeviceRulePath(index), ".", field, ": ", number, " is not a device number"));
  }
  return static_cast<int32_t>(number);
}

absl::StatusOr<Rule> ParseRule(const config::DeviceCgroup& rule, int index) {
  RETURN_IF_ERROR(ValidateDeviceRule(rule, index));
  Rule parsed{.access = 0, .allow = rule.allow()};
  if (rule.type() == "c") parsed.type = BPF_DEVCG_DEV_CHAR;
  if (rule.type() == "b") parsed.type = BPF_DEVCG_DEV_BLOCK;
  ASSIGN_OR_RETURN(parsed.major, DeviceNumber(rule.has_major(), rule.major(), index, "major"));
  ASSIGN_OR_RETURN(parsed.minor, DeviceNumber(rule.has_minor(), rule.minor(), index, "minor"));
  for (const char letter : rule.access()) {
    if (letter == 'r') parsed.access |= BPF_DEVCG_ACC_READ;
    if (letter == 'w') parsed.access |= BPF_DEVCG_ACC_WRITE;
    if (letter == 'm') parsed.access |= BPF_DEVCG_ACC_MKNOD;
  }
  return parsed;
}

// A rule that matches every request: nothing after it in the program can run
// (and the verifier refuses unreachable instructions).
bool IsFinal(const Rule& rule) {
  return !rule.type && !rule.major && !rule.minor && rule.access == kAllAccess;
}

// The instructions of one rule. Each jump to kNextBlock leaves the block.
constexpr int16_t kNextBlock = -1;

// One rule's instructions: at most three matches, four for the verdict and
// the exit.
class Block {
 public:
  explicit Block(const Rule& rule) {
    if (rule.type) Add(Jump(BPF_JNE, kType, *rule.type, kNextBlock));
    if (rule.major) Add(Jump(BPF_JNE, kMajor, *rule.major, kNextBlock));
    if (rule.minor) Add(Jump(BPF_JNE, kMinor, *rule.minor, kNextBlock));
    if (rule.allow) {
      // The accesses it lists are allowed; the request is once none is pending.
      if (rule.access != kAllAccess) {
        Add(Alu32(BPF_AND, kPending, ~rule.access));
        Add(Jump(BPF_JNE, kPending, 0, kNextBlock));
      }
      Add(Alu32(BPF_MOV, kVerdict, 1));
    } else {
      // Denies the request when it asks for any access the rule lists (every
      // pending access is undecided, so this rule decides it).
      if (rule.access != kAllAccess) {
        Add(Move32(kScratch, kPending));
        Add(Alu32(BPF_AND, kScratch, rule.access));
        Add(Jump(BPF_JEQ, kScratch, 0, kNextBlock));
      }
      Add(Alu32(BPF_MOV, kVerdict, 0));
    }
    Add(Exit());
    for (size_t i = 0; i < size_; ++i) {
      if (BPF_CLASS(insns_[i].code) == BPF_JMP && insns_[i].off == kNextBlock) {
        insns_[i].off = static_cast<int16_t>(size_ - i - 1);
      }
    }
  }

  const bpf_insn* begin() const { return insns_.data(); }
  const bpf_insn* end() const { return insns_.data() + size_; }

 private:
  void Add(const bpf_insn& insn) { insns_[size_++] = insn; }

  std::array<bpf_insn, 8> insns_;
  size_t size_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<bpf_insn>> BuildDeviceFilter(
    const google::protobuf::RepeatedPtrField<config::DeviceCgroup>& rules) {
  std::vector<Rule> parsed;
  parsed.reserve(rules.size());
  for (int i = 0; i < rules.size(); ++i) {
    ASSIGN_OR_RETURN(Rule rule, ParseRule(rules[i], i));
    parsed.push_back(rule);
  }

  std::vector<bpf_insn> program = {
      // access_type: the device type in the low 16 bits, the access above.
      LoadWord(kType, offsetof(bpf_cgroup_dev_ctx, access_type)),
      Alu32(BPF_AND, kType, 0xFFFF),
      LoadWord(kPending, offsetof(bpf_cgroup_dev_ctx, access_type)),
      Alu32(BPF_RSH, kPending, 16),
      LoadWord(kMajor, offsetof(bpf_cgroup_dev_ctx, major)),
      LoadWord(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)),
  };
  // The last matching rule decides: the program tries them from the last.
  for (auto rule = parsed.rbegin(); rule != parsed.rend(); ++rule) {
    const Block block(*rule);
    program.insert(program.end(), block.begin(), block.end());
    if (IsFinal(*rule)) return program;
  }
  program.push_back(Alu32(BPF_MOV, kVerdict, 0));
  program.push_back(Exit());
  return program;
}

}  // namespace hull::cgroups
