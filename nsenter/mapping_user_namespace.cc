#include "nsenter/mapping_user_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/pidfd.h"

namespace hull::nsenter {
namespace {

// The maps written and the namespace opened while the child lives.
absl::StatusOr<UniqueFd> OpenMappedNamespace(int pidfd, const IdMaps& maps) {
  // The pid in the pid namespace of the procfs that shows the caller's
  // fdinfo, which may not be the caller's own pid namespace.
  ASSIGN_OR_RETURN(const pid_t pid, PidOfPidfd(pidfd));
  LinuxProcFiles proc("/proc");
  RETURN_IF_ERROR(WriteIdMaps(proc, pid, maps));
  const std::string path = absl::StrCat("/proc/", pid, "/ns/user");
  UniqueFd ns(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns.valid()) return ErrnoStatus("open ", path);
  return ns;
}

}  // namespace

absl::StatusOr<UniqueFd> MakeMappingUserNamespace(ProcessCloner& cloner, const IdMaps& maps) {
  ASSIGN_OR_RETURN(ClonedProcess child, cloner.Clone({.namespace_flags = CLONE_NEWUSER}));
  if (child.in_child()) {
    // Waits to be killed; it runs nothing, so it needs no other state.
    while (true) pause();
  }
  absl::StatusOr<UniqueFd> ns = OpenMappedNamespace(child.pidfd.get(), maps);
  absl::Status killed = PidfdSendSignal(child.pidfd.get(), SIGKILL);
  absl::StatusOr<ExitStatus> reaped = PidfdWait(child.pidfd.get());
  RETURN_IF_ERROR(Annotate(killed, "kill the child holding the mapping's user namespace"));
  RETURN_IF_ERROR(Annotate(reaped.status(), "reap the child holding the mapping's user namespace"));
  return ns;
}

}  // namespace hull::nsenter
