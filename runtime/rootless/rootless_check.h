// What a container created without privilege (hull run by an ordinary user,
// or by root inside a user namespace) cannot get, refused before anything is
// made, each error saying what the user lacks: a user namespace (without
// one, an ordinary user can make no other namespace nor mount), ids of the
// maps it does not own (/etc/subuid, /etc/subgid: user::PlanIdMapWrites),
// additional groups where setgroups is denied, an oom_score_adj below its
// own, an rlimit above its own hard limit, and cgroups it may not make for
// the limits it asks (rootless_cgroups.h).
#ifndef HULL_RUNTIME_ROOTLESS_ROOTLESS_CHECK_H_
#define HULL_RUNTIME_ROOTLESS_ROOTLESS_CHECK_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "runtime/process/rlimits.h"
#include "runtime/user/id_map_writer.h"

namespace hull::rootless {

// What the creating process may do, as far as the checks need it.
struct Privilege {
  // Effective uid 0 in the initial user namespace: nothing to check.
  bool privileged = false;
  // The user who writes the id maps.
  user::MapWriter writer;
  // Unless privileged: its /proc/self/oom_score_adj (an unprivileged process
  // may raise it only).
  int oom_score_adj = 0;
  // Its hard limits, by RLIMIT_* number: an unprivileged process may only
  // lower a hard limit, and in a new user namespace has no privilege over
  // them.
  std::map<int, uint64_t> hard_limits;
};

// The calling process's, which runs in a user namespace other than the
// initial one when `in_user_namespace` (nsenter::RunningInUserNamespace:
// the caller has read it already). Unless privileged, reads
// /proc/self/oom_score_adj and getrlimit.
absl::StatusOr<Privilege> CurrentPrivilege(bool in_user_namespace);

// FailedPrecondition for what `spec` asks that `privilege` cannot give,
// naming the field and what would be needed; OK for a privileged creator.
// `read_file` reads /etc/subuid and /etc/subgid.
absl::Status CheckUnprivilegedSpec(const config::Spec& spec, const Privilege& privilege,
                                   const user::ReadFileFunction& read_file);

}  // namespace hull::rootless

#endif  // HULL_RUNTIME_ROOTLESS_ROOTLESS_CHECK_H_
