#include "runtime/seccomp/bpf_interpreter.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hull::runtime::seccomp {

seccomp_data SyscallData(uint32_t audit_arch, int nr, std::initializer_list<uint64_t> args) {
  seccomp_data data{};
  data.nr = nr;
  data.arch = audit_arch;
  int i = 0;
  for (uint64_t arg : args) data.args[i++] = arg;
  return data;
}

absl::StatusOr<uint32_t> RunProgram(absl::Span<const sock_filter> program,
                                    const seccomp_data& data) {
  uint32_t a = 0;
  uint32_t x = 0;
  uint32_t memory[BPF_MEMWORDS] = {};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const sock_filter& insn = program[pc];
    auto bad = [&] {
      return absl::InvalidArgumentError(
          absl::StrCat("instruction ", pc, ": code 0x", absl::Hex(insn.code), " k ", insn.k));
    };
    switch (insn.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (insn.k % 4 != 0 || insn.k + 4 > sizeof(data)) return bad();
        memcpy(&a, reinterpret_cast<const char*>(&data) + insn.k, 4);
        break;
      case BPF_LD | BPF_MEM:
        if (insn.k >= BPF_MEMWORDS) return bad();
        a = memory[insn.k];
        break;
      case BPF_LDX | BPF_MEM:
        if (insn.k >= BPF_MEMWORDS) return bad();
        x = memory[insn.k];
        break;
      case BPF_LD | BPF_IMM:
        a = insn.k;
        break;
      case BPF_ST:
        if (insn.k >= BPF_MEMWORDS) return bad();
        memory[insn.k] = a;
        break;
      case BPF_STX:
        if (insn.k >= BPF_MEMWORDS) return bad();
        memory[insn.k] = x;
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        a &= insn.k;
        break;
      case BPF_ALU | BPF_OR | BPF_K:
        a |= insn.k;
        break;
      case BPF_MISC | BPF_TAX:
        x = a;
        break;
      case BPF_MISC | BPF_TXA:
        a = x;
        break;
      case BPF_RET | BPF_K:
        return insn.k;
      case BPF_RET | BPF_A:
        return a;
      case BPF_JMP | BPF_JA:
        pc += insn.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += a == insn.k ? insn.jt : insn.jf;
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += a > insn.k ? insn.jt : insn.jf;
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += a >= insn.k ? insn.jt : insn.jf;
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += (a & insn.k) != 0 ? insn.jt : insn.jf;
        break;
      default:
        return bad();
    }
  }
  return absl::InvalidArgumentError("the program ran off its end");
}

}  // namespace hull::runtime::seccomp
