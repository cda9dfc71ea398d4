#include "runtime/seccomp/compile_filter.h"

#include <linux/audit.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/seccomp/enosys_stub.h"
#include "runtime/seccomp/profile.h"

namespace hull::runtime::seccomp {
namespace {

struct ReleaseContext {
  void operator()(void* context) const { seccomp_release(context); }
};
using ScopedContext = std::unique_ptr<void, ReleaseContext>;

// libseccomp returns -errno.
absl::Status LibseccompStatus(int result, absl::string_view what) {
  if (result >= 0) return absl::OkStatus();
  return absl::ErrnoToStatus(-result, absl::StrCat("libseccomp: ", what));
}

// The filter's architectures: the native one, then the profile's.
absl::StatusOr<std::vector<uint32_t>> Architectures(const config::Seccomp& profile) {
  std::vector<uint32_t> tokens = {seccomp_arch_native()};
  for (int i = 0; i < profile.architectures_size(); ++i) {
    absl::StatusOr<uint32_t> token = ArchitectureFor(profile.architectures(i));
    if (!token.ok()) {
      return Annotate(token.status(), absl::StrCat("linux.seccomp.architectures[", i, "]"));
    }
    tokens.push_back(*token);
  }
  return tokens;
}

absl::Status AddRules(scmp_filter_ctx context, const config::Seccomp& profile,
                      uint32_t default_action) {
  for (int i = 0; i < profile.syscalls_size(); ++i) {
    const config::Syscall& rule = profile.syscalls(i);
    const std::string path = absl::StrCat("linux.seccomp.syscalls[", i, "]");
    absl::StatusOr<uint32_t> action = RuleActionOf(rule);
    if (!action.ok()) return Annotate(action.status(), path);
    // libseccomp refuses a rule that does what the default does.
    if (*action == default_action) continue;
    absl::StatusOr<std::vector<std::vector<scmp_arg_cmp>>> rules = RuleConditions(rule);
    if (!rules.ok()) return Annotate(rules.status(), path);
    for (const std::string& name : rule.names()) {
      const int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // unknown to libseccomp: skipped, as runc does
      for (const std::vector<scmp_arg_cmp>& conditions : *rules) {
        RETURN_IF_ERROR(LibseccompStatus(
            seccomp_rule_add_array(context, *action, nr, conditions.size(), conditions.data()),
            absl::StrCat(path, ": add the rule for ", name)));
      }
    }
  }
  return absl::OkStatus();
}

// What seccomp_data.arch holds for libseccomp's token (x32 calls come as
// x86_64 ones, with bit 30 set).
uint32_t AuditArch(uint32_t token) {
  return token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
}

std::vector<NewestSyscall> NewestSyscalls(const config::Seccomp& profile,
                                          const std::vector<uint32_t>& tokens) {
  std::vector<NewestSyscall> arches;
  for (uint32_t token : tokens) {
    uint32_t newest = 0;
    for (const config::Syscall& rule : profile.syscalls()) {
      for (const std::string& name : rule.names()) {
        // Negative: unknown, or a pseudo-call of libseccomp's.
        const int nr = seccomp_syscall_resolve_name_arch(token, name.c_str());
        if (nr > 0 && static_cast<uint32_t>(nr) > newest) newest = nr;
      }
    }
    const uint32_t audit_arch = AuditArch(token);
    NewestSyscall* entry = nullptr;
    for (NewestSyscall& arch : arches) {
      if (arch.audit_arch == audit_arch) entry = &arch;
    }
    if (entry == nullptr) entry = &arches.emplace_back(NewestSyscall{.audit_arch = audit_arch});
    (token == SCMP_ARCH_X32 ? entry->newest_x32 : entry->newest) = newest;
  }
  return arches;
}

absl::StatusOr<std::vector<sock_filter>> ExportProgram(scmp_filter_ctx context) {
  UniqueFd memory(memfd_create("hull-seccomp-bpf", MFD_CLOEXEC));
  if (!memory.valid()) return ErrnoStatus("memfd_create for the seccomp program");
  RETURN_IF_ERROR(LibseccompStatus(seccomp_export_bpf(context, memory.get()),
                                   "export the filter's BPF program"));
  if (lseek(memory.get(), 0, SEEK_SET) != 0) return ErrnoStatus("lseek the seccomp program");
  ASSIGN_OR_RETURN(const std::string bytes, ReadAll(memory.get(), "the seccomp program"));
  return ProgramFromBytes(bytes);
}

}  // namespace

absl::StatusOr<Filter> CompileFilter(const config::Seccomp& profile) {
  absl::StatusOr<uint32_t> default_action = DefaultActionOf(profile);
  if (!default_action.ok()) return Annotate(default_action.status(), "linux.seccomp.defaultAction");
  ScopedContext context(seccomp_init(*default_action));
  if (context == nullptr) {
    return absl::InvalidArgumentError(
        "libseccomp refuses linux.seccomp.defaultAction (is the kernel too old for it?)");
  }
  ASSIGN_OR_RETURN(const std::vector<uint32_t> architectures, Architectures(profile));
  for (size_t i = 1; i < architectures.size(); ++i) {
    const int added = seccomp_arch_add(context.get(), architectures[i]);
    if (added != -EEXIST) {
      RETURN_IF_ERROR(LibseccompStatus(
          added, absl::StrCat("add linux.seccomp.architectures[", i - 1, "]")));
    }
  }
  // runc's threshold: libseccomp <= 2.5.4 misbehaves with a binary tree and
  // no rules, and puts 4 calls in a node.
  if (profile.syscalls_size() > 32) {
    (void)seccomp_attr_set(context.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
  }
  RETURN_IF_ERROR(AddRules(context.get(), profile, *default_action));

  Filter filter;
  for (int i = 0; i < profile.flags_size(); ++i) {
    absl::StatusOr<unsigned int> flag = FilterFlagFor(profile.flags(i));
    if (!flag.ok()) return Annotate(flag.status(), absl::StrCat("linux.seccomp.flags[", i, "]"));
    filter.flags |= *flag;
  }
  if (UsesNotify(profile)) filter.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if (GetsEnosysStub(profile)) {
    filter.program = EnosysStub(NewestSyscalls(profile, architectures));
  }
  ASSIGN_OR_RETURN(const std::vector<sock_filter> program, ExportProgram(context.get()));
  filter.program.insert(filter.program.end(), program.begin(), program.end());
  if (filter.program.size() > BPF_MAXINSNS) {
    return absl::InvalidArgumentError(
        absl::StrCat("linux.seccomp: the filter has ", filter.program.size(),
                     " BPF instructions; the kernel takes ", BPF_MAXINSNS, " at most"));
  }
  return filter;
}

}  // namespace hull::runtime::seccomp
