// A new time namespace with the config's clock offsets (linux.timeOffsets).
#ifndef HULL_NSENTER_TIME_OFFSETS_H_
#define HULL_NSENTER_TIME_OFFSETS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/map.h"
#include "base/procfs_files.h"

namespace hull::nsenter {

// The text to write to /proc/self/timens_offsets for `offsets` (clock name ->
// offset): "<clock> <secs> <nanosecs>\n" a clock, sorted by name, e.g.
// "boottime 86400 0\nmonotonic 5 0\n". InvalidArgument for a clock other than
// "monotonic" and "boottime" or nanoseconds of a second or more. Empty for no
// offsets.
absl::StatusOr<std::string> FormatTimeOffsets(
    const google::protobuf::Map<std::string, config::TimeOffset>& offsets);

// Creates a time namespace whose clocks are offset by `offsets_text`
// (FormatTimeOffsets) and moves the caller into it: unshare(CLONE_NEWTIME)
// creates it for the caller's children only; the offsets are written through
// `proc` (the procfs at hand, "self/timens_offsets") while no process is in
// it yet; then setns on /proc/self/ns/time_for_children moves the caller in.
//
// Why setns rather than relying on execve: since Linux 6.0 (fs/exec.c's
// begin_new_exec calls exec_task_namespaces(), which calls timens_on_fork()
// when time_ns_for_children differs from time_ns), execve enters the
// time_for_children namespace; up to 5.19 only fork/clone did (timens_on_fork
// was called from copy_namespaces alone), so an exec'd init would have stayed
// outside. setns(CLONE_NEWTIME) has moved the (single-threaded) caller itself
// since time namespaces exist (5.6), so it works on every kernel with them.
// Needs CAP_SYS_ADMIN in the caller's user namespace (and CAP_SYS_TIME to
// write the offsets); call it in the container's init.
absl::Status EnterNewTimeNamespace(ProcFiles& proc, absl::string_view offsets_text);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_TIME_OFFSETS_H_
