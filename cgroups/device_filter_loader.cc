#include "cgroups/device_filter_loader.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

// Any string will do: the program calls no GPL-only helper. runc's choice.
constexpr char kLicense[] = "Apache";

long Bpf(bpf_cmd command, bpf_attr& attr) {
  return syscall(__NR_bpf, command, &attr, sizeof(attr));
}

bpf_attr ZeroedAttr() {
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  return attr;
}

absl::Status BpfError(int error, absl::string_view operation) {
  return absl::ErrnoToStatus(error, absl::StrCat("bpf(", operation, ")"));
}

absl::StatusOr<UniqueFd> Load(absl::Span<const bpf_insn> program) {
  bpf_attr attr = ZeroedAttr();
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = reinterpret_cast<uint64_t>(program.data());
  attr.insn_cnt = static_cast<uint32_t>(program.size());
  attr.license = reinterpret_cast<uint64_t>(kLicense);
  const long fd = Bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  const int error = errno;
  if (error != EINVAL && error != EACCES) {
    return BpfError(error, "BPF_PROG_LOAD of the device filter");
  }
  // The verifier refused it: load again for its log, to say why.
  std::string log(64 * 1024, '\0');
  attr.log_level = 1;
  attr.log_buf = reinterpret_cast<uint64_t>(log.data());
  attr.log_size = static_cast<uint32_t>(log.size());
  if (const long retry = Bpf(BPF_PROG_LOAD, attr); retry >= 0) {
    return UniqueFd(static_cast<int>(retry));
  }
  log.resize(strnlen(log.data(), log.size()));
  return absl::Status(
      absl::ErrnoToStatusCode(error),
      absl::StrCat("bpf(BPF_PROG_LOAD of the device filter, ", program.size(),
                   " instructions): ", strerror(error), "; verifier log: ", log));
}

// The ids of the device programs attached to the cgroup itself.
absl::StatusOr<std::vector<uint32_t>> AttachedPrograms(int cgroup_fd) {
  // The kernel allows 64 programs per cgroup and attach type; ENOSPC says how
  // many there are when the array is too small.
  std::vector<uint32_t> ids(64);
  for (int attempt = 0; attempt < 4; ++attempt) {
    bpf_attr attr = ZeroedAttr();
    attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = reinterpret_cast<uint64_t>(ids.data());
    attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
    if (Bpf(BPF_PROG_QUERY, attr) == 0) {
      ids.resize(attr.query.prog_cnt);
      return ids;
    }
    if (errno != ENOSPC) return BpfError(errno, "BPF_PROG_QUERY of the cgroup's device programs");
    ids.resize(attr.query.prog_cnt);
  }
  return absl::UnavailableError(
      "bpf(BPF_PROG_QUERY of the cgroup's device programs): the list kept changing");
}

absl::Status Attach(int cgroup_fd, int program_fd) {
  bpf_attr attr = ZeroedAttr();
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(program_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (Bpf(BPF_PROG_ATTACH, attr) != 0) {
    return BpfError(errno, "BPF_PROG_ATTACH of the device filter, BPF_F_ALLOW_MULTI");
  }
  return absl::OkStatus();
}

absl::Status Detach(int cgroup_fd, int program_fd) {
  bpf_attr attr = ZeroedAttr();
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(program_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (Bpf(BPF_PROG_DETACH, attr) != 0) {
    return BpfError(errno, "BPF_PROG_DETACH of the previous device filter");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LinuxDeviceFilterLoader::Install(int cgroup_fd, absl::Span<const bpf_insn> program) {
  ASSIGN_OR_RETURN(const std::vector<uint32_t> ids, AttachedPrograms(cgroup_fd));
  // Hold the previous programs by fd before attaching, so that the ids name
  // the same programs when they are detached.
  std::vector<UniqueFd> previous;
  for (const uint32_t id : ids) {
    bpf_attr attr = ZeroedAttr();
    attr.prog_id = id;
    const long fd = Bpf(BPF_PROG_GET_FD_BY_ID, attr);
    if (fd < 0) {
      // Detached meanwhile.
      if (errno == ENOENT) continue;
      return BpfError(errno, absl::StrCat("BPF_PROG_GET_FD_BY_ID ", id));
    }
    previous.emplace_back(static_cast<int>(fd));
  }
  ASSIGN_OR_RETURN(const UniqueFd loaded, Load(program));
  RETURN_IF_ERROR(Attach(cgroup_fd, loaded.get()));
  // The new filter is in force; the old ones could only deny more.
  for (const UniqueFd& old : previous) RETURN_IF_ERROR(Detach(cgroup_fd, old.get()));
  return absl::OkStatus();
}

}  // namespace hull::cgroups
