// The container's init: what the process cloned by `create` does, in the
// container's namespaces, from the clone to the execve of the user's process;
// and what a process `exec` starts in a running container does, from the
// clone to its execve.
#ifndef HULL_RUNTIME_INIT_CONTAINER_INIT_H_
#define HULL_RUNTIME_INIT_CONTAINER_INIT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/namespace.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/seccomp/filter.h"
#include "base/fd.h"
#include "base/mountinfo.h"

namespace hull::runtime {

// What the init (or an exec'd process) works from. For an exec'd process,
// `spec` is the container's config with the exec'd process in place of the
// container's own, and the rootfs, namespace plan and exec fifo go unused.
struct InitContext {
  const config::Spec& spec;
  std::string container_id;
  // Absolute host path of the root filesystem (root.path against the bundle).
  std::string rootfs;
  nsenter::NamespacePlan namespaces;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
  // The init's end of the channel to the launcher.
  channel::SyncChannel& channel;
  // O_PATH fd on the exec fifo (process::CreateExecFifo).
  int exec_fifo_fd = -1;
  // The `tasks` files of the container's v1 cgroups, open for writing
  // (cgroups::CloneTargets): the init joins them first thing.
  absl::Span<const UniqueFd> v1_tasks_files;
  // The host's cgroup mounts as the launcher read them
  // (cgroups::CloneTargets::host_cgroup_mounts), for a cgroup mount on a v1
  // or hybrid host; empty: the init reads its own /proc/self/mountinfo.
  absl::Span<const MountInfo> host_cgroup_mounts;
  // The container's cgroup2 directory, which the init is born in
  // (CLONE_INTO_CGROUP), or -1 (cgroups::CloneTargets).
  int cgroup2_directory_fd = -1;
  // The launcher puts the init in its cgroup after the clone (the systemd
  // driver's scope is made around it): the first step waits for that
  // (cgroups::CloneTargets::join_by_add_process).
  bool cgroup_joined_by_launcher = false;
  // The launcher runs in a user namespace other than the initial one
  // (nsenter::RunningInUserNamespace): so does an init without a user
  // namespace in its config.
  bool launcher_in_user_namespace = false;
  // The init's end of its log (channel/child_log.h), where it records each
  // step as it starts it, when the launcher wants them (`--debug`); or -1.
  int log_fd = -1;
  // The fds the container's process gets as 0, 1, 2, 3, ... (3 +
  // preserve_fds of them), which the init moves into place first; empty when
  // the caller's own are in place already (the init is the caller's clone).
  // The other fds above must not be below 3 + preserve_fds.
  absl::Span<const int> inherited_fds;
  // An exec'd process: a pidfd on the container's init, whose namespaces of
  // `container_namespace_flags` (CLONE_NEW*) it joins.
  int container_init_pidfd = -1;
  uint64_t container_namespace_flags = 0;
  // linux.seccomp compiled by the launcher (seccomp/compile_filter.h), which
  // the process loads; null without linux.seccomp.
  const seccomp::Filter* seccomp_filter = nullptr;
  // A read-only detached mount of the launcher's binary, which the clone
  // re-executes before anything else (runtime/spawn/sealed_reexec.h), or -1.
  // The init owns it, and the re-executed one keeps it until it waits for
  // start: its last close takes the mount apart, which waits for an RCU
  // grace period, and that wait belongs where the init waits anyway, not
  // between start and the user's process.
  int sealed_exe_fd = -1;
};

// The running init: its context and what its steps made for later ones
// (defined in container_init.cc).
struct Init;

// The context an init runs on (for steps that tests write).
const InitContext& ContextOf(const Init& init);

// One step of the init.
struct InitStep {
  const char* name;  // completes "container init failed to ..."
  absl::Status (*run)(Init& init);
};

// The init's steps, in order, from joining its cgroups to the execve of the
// user's process.
absl::Span<const InitStep> DefaultInitSteps();

// The default step named `name`, or nullptr (tests run slices of the real
// steps).
const InitStep* FindDefaultInitStep(absl::string_view name);

// The steps of a process `exec` starts in a running container: join its
// cgroups and namespaces, fork into its pid namespace (the child goes on, as
// the caller's sibling: CLONE_PARENT), apply the process's attributes, exec.
absl::Span<const InitStep> DefaultExecSteps();

// Runs `steps` in order (the last one execs the user's process), recording
// each in the log (context.log_fd), or reports the failing step to the
// launcher over the channel (on stderr once the launcher no longer listens,
// after "report ready") and exits 1. Never returns. Call it only in the
// freshly cloned child. Another list than DefaultInitSteps() serves tests
// that inject a failure at one step.
[[noreturn]] void RunContainerInit(InitContext& context, absl::Span<const InitStep> steps);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_INIT_CONTAINER_INIT_H_
