#include "runtime/spawn/sealed_reexec.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/init/init_request.h"
#include "runtime/spawn/sealed_entry.h"
#include "runtime/security/capabilities.h"

namespace hull::runtime {
namespace {

// argv[1] of a re-executed container process (runc's processes show as
// `runc init` too); argv[2] lists the packed context's fds.
constexpr char kInitCommand[] = "init";

std::atomic<bool> main_called{false};

// What SealedExeCopy seals its memfd with: no write, shrink or growth, and no
// seal removed.
constexpr int kExeSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

// Set by ReexecSealedAtStart in a program it found sealed, before any C++
// initializer runs (so constant-initialized, and never written again).
struct SealedStart {
  bool sealed = false;
  // The environment's strings as the kernel laid them out, contiguous:
  // what /proc/<pid>/environ reads.
  char* environment_begin = nullptr;
  char* environment_end = nullptr;
};
SealedStart sealed_start;

// True when the kernel started this process by execveat of an fd (its
// AT_EXECFN is then "/dev/fd/<n>", as ReexecSealedAtStart's re-execution
// has it) on a binary no write reaches: on a read-only mount (OpenSealedExe's
// detached one) or a memfd sealed as SealedExeCopy seals it.
bool RunsFromSealedExe() {
  if (!ExecutedThroughAnFd(reinterpret_cast<const char*>(getauxval(AT_EXECFN)))) return false;
  const UniqueFd exe(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe.valid()) return false;
  struct statfs filesystem;
  if (fstatfs(exe.get(), &filesystem) == 0 && (filesystem.f_flags & ST_RDONLY) != 0) return true;
  const int seals = fcntl(exe.get(), F_GET_SEALS);
  return seals >= 0 && (seals & kExeSeals) == kExeSeals;
}

absl::Status ReexecSealed(Init& init) {
  const InitContext& context = ContextOf(init);
  // The init of a new user namespace is no one there until its id maps
  // exist: an execve would drop its capabilities in it.
  if (context.namespaces.clone_flags & CLONE_NEWUSER) {
    RETURN_IF_ERROR(security::KeepCapabilitiesAcrossExec());
  }
  ASSIGN_OR_RETURN(const PackedInit packed, PackInit(context));
  // Every fd of the context crosses the execve.
  for (const int fd : packed.fds) {
    if (fcntl(fd, F_SETFD, 0) != 0) return ErrnoStatus("fcntl(", fd, ", F_SETFD, 0)");
  }
  const std::string fds = absl::StrJoin(packed.fds, ",");
  const char* const argv[] = {"hull", kInitCommand, fds.c_str(), nullptr};
  const char* const envp[] = {nullptr};
  syscall(SYS_execveat, context.sealed_exe_fd, "", argv, envp, AT_EMPTY_PATH);
  return ErrnoStatus("execveat the sealed copy of its binary");
}

[[noreturn]] void Die(absl::string_view message) {
  const std::string line = absl::StrCat("hull init: ", message, "\n");
  (void)!write(STDERR_FILENO, line.data(), line.size());
  _exit(1);
}

}  // namespace

const InitStep kReexecSealedStep = {"re-execute a sealed copy of its binary", ReexecSealed};

void ContainerProcessMain(int argc, char** argv) {
  main_called.store(true, std::memory_order_relaxed);
  if (argc < 2 || std::strcmp(argv[1], kInitCommand) != 0) return;
  if (argc != 3) Die("for hull's own container processes only");
  std::vector<UniqueFd> fds;
  for (absl::string_view number : absl::StrSplit(argv[2], ',')) {
    int fd = -1;
    if (!absl::SimpleAtoi(number, &fd) || fd < 0) Die(absl::StrCat("not an fd list: ", argv[2]));
    fds.emplace_back(fd);
  }
  absl::StatusOr<std::unique_ptr<UnpackedInit>> unpacked = UnpackedInit::Unpack(std::move(fds));
  if (!unpacked.ok()) Die(unpacked.status().message());
  InitContext& context = (*unpacked)->context();
  RunContainerInit(context, context.container_init_pidfd >= 0 ? DefaultExecSteps()
                                                               : DefaultInitSteps());
}

absl::Status RequireContainerProcessMain() {
  if (main_called.load(std::memory_order_relaxed)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "this program does not call hull::runtime::ContainerProcessMain(argc, argv) first thing "
      "in main(): a container's processes re-execute the program's binary from a sealed copy "
      "(runtime/spawn/sealed_reexec.h)");
}

absl::StatusOr<UniqueFd> SealedExeCopy() {
  UniqueFd copy(memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!copy.valid()) return ErrnoStatus("memfd_create for a sealed copy of /proc/self/exe");
  UniqueFd exe(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe.valid()) return ErrnoStatus("open /proc/self/exe");
  while (true) {
    const ssize_t sent = sendfile(copy.get(), exe.get(), nullptr, 1 << 30);
    if (sent < 0) return ErrnoStatus("copy /proc/self/exe into a memfd");
    if (sent == 0) break;
  }
  if (fcntl(copy.get(), F_ADD_SEALS, kExeSeals) != 0) {
    return ErrnoStatus("seal the memfd copy of /proc/self/exe");
  }
  // execve refuses a file open for writing anywhere (ETXTBSY): what crosses
  // the clone is an O_PATH fd on it, the writable one closes here.
  UniqueFd sealed(open(absl::StrCat("/proc/self/fd/", copy.get()).c_str(), O_PATH | O_CLOEXEC));
  if (!sealed.valid()) return ErrnoStatus("reopen the sealed memfd copy of /proc/self/exe");
  return sealed;
}

absl::StatusOr<UniqueFd> OpenSealedExe() {
  const ExeMount mount = OpenReadOnlyExeMount();
  if (mount.fd >= 0) return UniqueFd(mount.fd);
  // Without CAP_SYS_ADMIN over the mount namespace (a rootless hull), a
  // sealed memfd copy is as safe a source (runc's for years): no write
  // reaches it, and it is not the host's file.
  if (mount.error == EPERM) return SealedExeCopy();
  return absl::ErrnoToStatus(mount.error, mount.failed_call);
}

void ReexecSealedAtStart(int, char** argv, char** envp) {
  if (RunsFromSealedExe()) {
    sealed_start.sealed = true;
    if (envp[0] != nullptr) {
      char** last = envp;
      while (last[1] != nullptr) ++last;
      sealed_start.environment_begin = envp[0];
      sealed_start.environment_end = *last + std::strlen(*last) + 1;
    }
    return;
  }
  // Close-on-exec: the re-executed program keeps no fd of it (the mount
  // stays, detached, while a process runs from it).
  absl::StatusOr<UniqueFd> exe = OpenSealedExe();
  if (!exe.ok()) return;
  syscall(SYS_execveat, exe->get(), "", argv, envp, AT_EMPTY_PATH);
}

bool StartedSealed() { return sealed_start.sealed; }

void ForgetStartEnvironment() {
  if (sealed_start.environment_end > sealed_start.environment_begin) {
    std::memset(sealed_start.environment_begin, 0,
                sealed_start.environment_end - sealed_start.environment_begin);
  }
  static char* none[] = {nullptr};
  environ = none;
}

}  // namespace hull::runtime
