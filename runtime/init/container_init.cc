#include "runtime/init/container_init.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/namespaces.h"
#include "nsenter/clone.h"
#include "nsenter/id_map.h"
#include "nsenter/pidfd.h"
#include "nsenter/setns.h"
#include "nsenter/time_offsets.h"
#include "nsenter/user_namespace_probe.h"
#include "runtime/channel/child_log.h"
#include "runtime/channel/create_handshake.h"
#include "runtime/hooks/hooks.h"
#include "runtime/console/controlling_terminal.h"
#include "runtime/console/pty.h"
#include "runtime/console/window_size.h"
#include "runtime/process/close_fds.h"
#include "runtime/process/cpu_affinity.h"
#include "runtime/process/environment.h"
#include "runtime/process/exec_fifo.h"
#include "runtime/process/executable.h"
#include "runtime/process/io_priority.h"
#include "runtime/process/oom_score_adj.h"
#include "runtime/process/rlimits.h"
#include "runtime/process/scheduler.h"
#include "runtime/process/signals.h"
#include "runtime/process/umask.h"
#include "runtime/process/working_directory.h"
#include "base/procfs_files.h"
#include "runtime/rootfs/linux_mounter.h"
#include "runtime/rootfs/path_restrictions.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "runtime/rootfs/rootfs.h"
#include "runtime/seccomp/load_filter.h"
#include "runtime/rootfs/shared_mount_namespace.h"
#include "runtime/system/hostname.h"
#include "runtime/system/loopback.h"
#include "runtime/system/memory_policy.h"
#include "runtime/system/personality.h"
#include "runtime/system/session_keyring.h"
#include "runtime/system/sysctl.h"
#include "runtime/security/capabilities.h"
#include "runtime/security/exec_labels.h"
#include "runtime/security/no_new_privileges.h"
#include "runtime/user/exec_user.h"
#include "runtime/user/identity.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::runtime {

struct Init {
  InitContext& context;
  const config::Spec& spec;
  // The launcher's id-mapped trees come alone (IdMappedTrees).
  const bool trees_for_joined_user_namespace = rootfs::JoinsUserNamespaceWithLauncherTrees(spec);
  channel::CreateHandshake handshake{
      context.channel, channel::CreatePeer::kInit,
      (context.namespaces.clone_flags & CLONE_NEWUSER) != 0, spec.process().terminal(),
      context.seccomp_filter != nullptr && context.seccomp_filter->new_listener(),
      context.cgroup_joined_by_launcher, trees_for_joined_user_namespace,
      channel::InitWaitsAfterMounts(spec)};
  channel::ChildLogWriter log{context.log_fd};
  rootfs::LinuxMounter mounter{rootfs::LinuxMounter::Api::kMountFds,
                               context.host_cgroup_mounts};
  LinuxProcFiles proc{"/proc"};
  // Made by the steps, used by later ones.
  user::ExecUser exec_user;
  std::vector<std::string> environment;
  bool in_working_directory = false;
  security::CapabilitySets capabilities;
  std::string executable;
  // From the launcher (HooksDone): what the createContainer and
  // startContainer hooks read on stdin.
  std::string create_container_state;
  std::string start_container_state;
  // The exec fifo, open for writing from "wait for start" until the exec
  // closes it (close-on-exec): `start` waits for that.
  UniqueFd exec_fifo;
  // A failing step already reported its error to `start`, which prints it:
  // the init's stderr does not get it again.
  bool failure_reported = false;
  // An exec'd process in a container without a mount namespace of its own:
  // the root its init chrooted into, until the process enters it.
  UniqueFd container_root;
  // InitContext::sealed_exe_fd, closed at "wait for start" (an exec'd
  // process: before its exec).
  UniqueFd sealed_exe{context.sealed_exe_fd};
};

namespace {

// The container's v1 cgroups, which clone3 cannot place the init in (v1 has
// no CLONE_INTO_CGROUP). Moving another process there (its pid to
// cgroup.procs, as runc does) takes a global lock whose first taker after a
// quiet spell waits for an RCU grace period, 5 to 20 ms; a thread moving
// itself ("0" to tasks) skips it. The first step: nothing of the container's
// runs outside them.
absl::Status JoinCgroups(Init& init) {
  if (init.context.cgroup_joined_by_launcher) {
    RETURN_IF_ERROR(init.handshake.Expect(channel::SyncMessage::kCgroupJoined));
  }
  for (const UniqueFd& tasks : init.context.v1_tasks_files) {
    if (write(tasks.get(), "0", 1) != 1) return ErrnoStatus("write \"0\" to a v1 cgroup's tasks file");
  }
  return absl::OkStatus();
}

absl::Status PlaceInheritedFds(Init& init) {
  return process::PlaceInheritedFds(init.context.inherited_fds);
}

// Whatever the launcher ignored or blocked must not reach the container.
absl::Status ResetSignals(Init&) { return process::ResetSignals(); }

// Keeps stdio, the preserved fds, the channel, the exec fifo and the log: the
// launcher's other fds (its container lock among them) must not outlive it.
absl::Status CloseLauncherFds(Init& init) {
  const int keep[] = {init.context.channel.fd(), init.context.exec_fifo_fd,
                      init.context.container_init_pidfd, init.context.log_fd,
                      init.sealed_exe.get()};
  return process::CloseFdsFrom(3 + init.context.preserve_fds, keep);
}

// Nothing may ptrace or read the process's memory until it execs the user's
// process (execve makes it dumpable again).
absl::Status MakeNonDumpable() {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return ErrnoStatus("prctl(PR_SET_DUMPABLE)");
  return absl::OkStatus();
}

// An exec'd process joins the namespaces of the container's init through its
// pidfd: one setns(2) for all of them, the user namespace first.
absl::Status JoinContainerNamespaces(Init& init) {
  RETURN_IF_ERROR(MakeNonDumpable());
  const uint64_t flags = init.context.container_namespace_flags;
  if (flags == 0) return absl::OkStatus();
  if (setns(init.context.container_init_pidfd, static_cast<int>(flags)) != 0) {
    return ErrnoStatus("setns to the container init's namespaces (flags 0x", absl::Hex(flags), ")");
  }
  // Joining a user namespace keeps the host's ids, which it may not map:
  // become its root, as the init did once its maps were written.
  if (flags & CLONE_NEWUSER) {
    if (setresgid(0, 0, 0) != 0) return ErrnoStatus("setresgid(0)");
    if (setresuid(0, 0, 0) != 0) return ErrnoStatus("setresuid(0)");
  }
  return absl::OkStatus();
}

// A container without a mount namespace of its own chrooted its init: an
// exec'd process enters the init's root. Opened through the host's /proc
// before the namespaces are joined (a joined mount namespace has another);
// the pid read from the pidfd named the init only if the init still lives
// once the root is open.
absl::Status OpenContainerRoot(Init& init) {
  if (rootfs::HasOwnMountNamespace(init.spec)) return absl::OkStatus();
  RETURN_IF_ERROR(init.proc.Pin());  // as the init did (EnterNamespaces)
  const int pidfd = init.context.container_init_pidfd;
  ASSIGN_OR_RETURN(const pid_t pid, nsenter::PidOfPidfd(pidfd));
  const std::string root = absl::StrCat("/proc/", pid, "/root");
  init.container_root = UniqueFd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!init.container_root.valid()) return ErrnoStatus("open ", root);
  return nsenter::PidfdSendSignal(pidfd, 0);
}

absl::Status EnterContainerRoot(Init& init) {
  if (!init.container_root.valid()) return absl::OkStatus();
  if (fchdir(init.container_root.get()) != 0) return ErrnoStatus("fchdir to the container's root");
  if (chroot(".") != 0) return ErrnoStatus("chroot to the container's root");
  init.container_root.Reset();
  return absl::OkStatus();
}

// setns(CLONE_NEWPID) and setns(CLONE_NEWTIME) move only the caller's
// children: the process forks, the child goes on in the container's pid and
// time namespaces as the caller's sibling (the launcher is its parent), and
// the parent reports the child's pid and exits.
absl::Status ForkIntoContainer(Init& init) {
  nsenter::LinuxProcessCloner cloner;
  ASSIGN_OR_RETURN(const nsenter::ClonedProcess child, cloner.Clone({.as_sibling = true}));
  if (child.in_child()) return absl::OkStatus();
  channel::SyncMessage started;
  started.mutable_exec_started()->set_pid(child.pid);
  _exit(init.context.channel.Send(started).ok() ? 0 : 1);
}

absl::Status EnterNamespaces(Init& init) {
  RETURN_IF_ERROR(MakeNonDumpable());
  // Without a mount namespace of its own the init chroots where no procfs
  // is: it keeps the host's (whose pid namespace holds every other), pinned
  // before a joined mount namespace changes what /proc is.
  if (!rootfs::HasOwnMountNamespace(init.spec)) RETURN_IF_ERROR(init.proc.Pin());
  return nsenter::JoinNamespaces(init.context.namespaces.joins);
}

// `trees` of the id-mapped binds, which only the launcher could id-map
// (rootfs_plan.h, PlanLauncherTrees), for the mounts to attach.
absl::Status AdoptLauncherTrees(Init& init, std::vector<UniqueFd> trees) {
  // A config the plan refuses fails where the init plans its mounts.
  const absl::StatusOr<std::vector<rootfs::PlannedMount>> planned =
      rootfs::PlanLauncherTrees(init.spec);
  if (planned.ok() && trees.size() != planned->size()) {
    return absl::InternalError(absl::StrCat("the launcher passed ", trees.size(),
                                            " id-mapped trees for ", planned->size(), " mounts"));
  }
  init.mounter.AdoptLauncherTrees(std::move(trees));
  return absl::OkStatus();
}

// With the maps come the trees of the id-mapped binds; in a joined user
// namespace the trees come alone.
absl::Status WaitForIdMaps(Init& init) {
  if ((init.context.namespaces.clone_flags & CLONE_NEWUSER) == 0) {
    if (!init.trees_for_joined_user_namespace) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<UniqueFd> trees,
                     init.handshake.ExpectFds(channel::SyncMessage::kIdMappedTrees));
    return AdoptLauncherTrees(init, std::move(trees));
  }
  // Dumpable while the launcher writes the maps: a non-dumpable process's
  // /proc files are root's, which only a privileged launcher may write
  // (runc's child does the same). Nothing of the launcher's is in this
  // memory (sealed_reexec.h), and the process is the user's own.
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return ErrnoStatus("prctl(PR_SET_DUMPABLE, 1)");
  RETURN_IF_ERROR(init.handshake.Send(channel::SyncMessage::kReadyForIdMaps));
  ASSIGN_OR_RETURN(std::vector<UniqueFd> trees,
                   init.handshake.ExpectFds(channel::SyncMessage::kIdMapsWritten));
  RETURN_IF_ERROR(MakeNonDumpable());
  RETURN_IF_ERROR(AdoptLauncherTrees(init, std::move(trees)));
  // Become the namespace's root, as the maps now allow.
  if (setresgid(0, 0, 0) != 0) return ErrnoStatus("setresgid(0)");
  if (setresuid(0, 0, 0) != 0) return ErrnoStatus("setresuid(0)");
  return absl::OkStatus();
}

absl::Status EnterCgroupNamespace(Init& init) {
  if (!init.context.namespaces.unshare_cgroup) return absl::OkStatus();
  // Rooted where the init is when it unshares: in its own cgroup (clone3
  // makes namespaces before CLONE_INTO_CGROUP places the child).
  if (unshare(CLONE_NEWCGROUP) != 0) return ErrnoStatus("unshare(CLONE_NEWCGROUP)");
  return absl::OkStatus();
}

// Whether the init runs in a user namespace other than the initial one
// (nsenter::RunningInUserNamespace), its uid_map read only where nothing
// tells: without a user namespace in its config it is in the launcher's,
// which the launcher read; a new one has the config's maps, which the
// launcher wrote; one joined by path has its own.
absl::StatusOr<bool> InUserNamespace(Init& init) {
  if (init.context.namespaces.clone_flags & CLONE_NEWUSER) {
    ASSIGN_OR_RETURN(const std::string uid_map,
                     nsenter::FormatIdMap(init.spec.linux().uid_mappings(), "linux.uidMappings"));
    return !nsenter::IsInitialUidMap(uid_map);
  }
  if (!config::HasNamespace(init.spec, "user")) return init.context.launcher_in_user_namespace;
  return nsenter::RunningInUserNamespace(init.proc);
}

// Nothing is mounted in a mount namespace the container does not own.
absl::Status MountRootfs(Init& init) {
  if (!rootfs::HasOwnMountNamespace(init.spec)) return absl::OkStatus();
  ASSIGN_OR_RETURN(const bool in_user_namespace, InUserNamespace(init));
  return rootfs::MountRootfs(init.spec, init.context.rootfs, init.mounter,
                             {.in_user_namespace = in_user_namespace});
}

// Only when the init must wait (channel::InitWaitsAfterMounts): the launcher
// runs the prestart and createRuntime hooks meanwhile.
absl::Status WaitForRuntimeHooks(Init& init) {
  if (!init.handshake.init_waits_after_mounts()) return absl::OkStatus();
  channel::SyncMessage ready;
  ready.mutable_ready_for_hooks()->set_pid(getpid());
  RETURN_IF_ERROR(init.handshake.Send(ready));
  ASSIGN_OR_RETURN(channel::SyncMessage done,
                   init.handshake.ExpectMessage(channel::SyncMessage::kHooksDone));
  init.create_container_state = done.hooks_done().create_container_state();
  init.start_container_state = done.hooks_done().start_container_state();
  return absl::OkStatus();
}

// In the container's namespaces, before pivot_root: the host's files are still
// in view, where the spec resolves the hooks' paths. In the rootfs, as runc
// runs them.
absl::Status RunCreateContainerHooks(Init& init) {
  return hooks::RunHooks("createContainer", init.spec.hooks().create_container(),
                         init.create_container_state,
                         {.working_directory = init.context.rootfs});
}

// Without a mount namespace of its own, a chroot: pivot_root would change
// the root of every process in the namespace.
absl::Status PivotRoot(Init& init) {
  if (!rootfs::HasOwnMountNamespace(init.spec)) return rootfs::ChrootInto(init.context.rootfs);
  return rootfs::PivotRoot(init.spec, init.context.rootfs, init.context.no_pivot, init.mounter);
}

absl::Status CreateWorkingDirectory(Init& init) {
  return process::CreateWorkingDirectory(init.spec.process().cwd());
}

// process.terminal, where runc makes it: a pty of the container's own devpts
// once /dev is complete, before /dev turns read-only and the user switch
// (which gives the slave to the user). The master goes to the launcher; the
// slave is /dev/console and the process's controlling terminal and stdio.
absl::StatusOr<console::Pty> AllocateSizedPty(const config::Process& process) {
  ASSIGN_OR_RETURN(console::Pty pty, console::AllocatePty());
  // runc sizes the pty only when both are given.
  const config::Box& size = process.console_size();
  if (size.height() != 0 && size.width() != 0) {
    RETURN_IF_ERROR(console::SetWindowSize(
        pty.master.get(), {.rows = static_cast<uint16_t>(std::min(size.height(), 0xffffu)),
                           .columns = static_cast<uint16_t>(std::min(size.width(), 0xffffu))}));
  }
  return pty;
}

absl::Status SetUpTerminal(Init& init) {
  if (!init.spec.process().terminal()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const console::Pty pty, AllocateSizedPty(init.spec.process()));
  RETURN_IF_ERROR(init.mounter.BindOpenFile(pty.slave.get(), "/dev/console"));
  const int master[] = {pty.master.get()};
  RETURN_IF_ERROR(init.handshake.Send(channel::SyncMessage::kPtyMaster, master));
  return console::TakeControllingTerminal(pty.slave.get());
}

// Without a terminal (which makes the init a session leader itself), as runc's
// init: a session of its own, so that the container's process tree is
// whole for CRIU (a checkpoint refuses a tree whose session leader is
// outside it) and no signal for the launcher's session reaches it.
absl::Status LeadNewSession(Init& init) {
  if (init.spec.process().terminal()) return absl::OkStatus();
  if (setsid() < 0) return ErrnoStatus("setsid");
  return absl::OkStatus();
}

// An exec'd process's terminal: as the init's, from the container's devpts
// (the process is in its mount namespace), but /dev/console stays the init's.
absl::Status SetUpExecTerminal(Init& init) {
  if (!init.spec.process().terminal()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const console::Pty pty, AllocateSizedPty(init.spec.process()));
  channel::SyncMessage message;
  message.mutable_pty_master();
  const int master[] = {pty.master.get()};
  RETURN_IF_ERROR(init.context.channel.Send(message, master));
  return console::TakeControllingTerminal(pty.slave.get());
}

absl::Status FinishRootfs(Init& init) { return rootfs::FinishRootfs(init.spec, init.mounter); }

absl::Status RestrictPaths(Init& init) {
  return rootfs::ApplyPathRestrictions(init.spec, init.mounter);
}

absl::Status SetHostname(Init& init) {
  system::LinuxUtsNames uts;
  return system::SetHostAndDomainName(init.spec, uts);
}

absl::Status ApplySysctls(Init& init) { return system::ApplySysctls(init.spec, init.proc); }

absl::Status BringUpLoopback(Init& init) {
  system::LinuxInterfaceFlags interfaces;
  return system::BringUpLoopback(init.spec, interfaces);
}

absl::Status EnterTimeNamespace(Init& init) {
  if (!init.context.namespaces.unshare_time) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string offsets,
                   nsenter::FormatTimeOffsets(init.spec.linux().time_offsets()));
  return nsenter::EnterNewTimeNamespace(init.proc, offsets);
}

absl::Status JoinSessionKeyring(Init& init) {
  if (init.context.no_new_keyring) return absl::OkStatus();
  system::LinuxKeyrings keyrings;
  return system::JoinContainerSessionKeyring(init.spec, init.context.container_id, keyrings);
}

absl::Status ApplyRlimits(Init& init) {
  process::LinuxResourceLimits limits;
  return process::ApplyRlimits(init.spec.process(), limits);
}

absl::Status SetOomScoreAdj(Init& init) {
  return process::SetOomScoreAdj(init.spec.process(), init.proc);
}

// As root, before the user switch and the capabilities: a real-time policy
// or a negative nice needs CAP_SYS_NICE.
absl::Status ApplyScheduler(Init& init) {
  process::LinuxSchedulerControl control;
  return process::ApplyScheduler(init.spec.process(), control);
}

absl::Status ApplyIoPriority(Init& init) {
  process::LinuxIoPriorityControl control;
  return process::ApplyIoPriority(init.spec.process(), control);
}

absl::Status ApplyMemoryPolicy(Init& init) {
  system::LinuxMemoryPolicyControl control;
  return system::ApplyMemoryPolicy(init.spec, control);
}

absl::Status ApplyPersonality(Init& init) {
  system::LinuxPersonalityControl control;
  return system::ApplyPersonality(init.spec, control);
}

// Labels the next execve gives the process (the validator refuses them on a
// host without AppArmor or SELinux). As root, as runc sets them.
absl::Status SetAppArmorProfile(Init& init) {
  return security::SetAppArmorExecProfile(init.spec.process(), init.proc);
}

absl::Status SetSelinuxLabel(Init& init) {
  return security::SetSelinuxExecLabel(init.spec.process(), init.proc);
}

// An exec'd process's CPUs before it joins the container's cgroups, and
// after (process.execCPUAffinity).
absl::Status ApplyInitialCpuAffinity(Init& init) {
  process::LinuxCpuAffinityControl control;
  return process::ApplyInitialCpuAffinity(init.spec.process(), control);
}

absl::Status ApplyFinalCpuAffinity(Init& init) {
  process::LinuxCpuAffinityControl control;
  return process::ApplyFinalCpuAffinity(init.spec.process(), control);
}

absl::Status SetUmask(Init& init) {
  process::SetUmask(init.spec.process().user());
  return absl::OkStatus();
}

absl::Status ResolveUser(Init& init) {
  const config::User& user = init.spec.process().user();
  const std::string user_spec = user::UserSpec(user);
  ASSIGN_OR_RETURN(user::UserDatabase database, user::ReadUserDatabase("/", user_spec));
  ASSIGN_OR_RETURN(init.exec_user,
                   user::ResolveExecUser(user_spec, user.additional_gids(), database));
  ASSIGN_OR_RETURN(init.environment,
                   process::BuildEnvironment(init.spec.process().env(), init.exec_user.home));
  return absl::OkStatus();
}

// As root first: a cwd only the container's user may enter is entered again
// after the switch.
absl::Status TryEnterWorkingDirectory(Init& init) {
  ASSIGN_OR_RETURN(init.in_working_directory,
                   process::TryEnterWorkingDirectory(init.spec.process().cwd()));
  return absl::OkStatus();
}

// Dropping from the bounding set needs CAP_SETPCAP: before the user switch.
absl::Status DropBoundingSet(Init& init) {
  ASSIGN_OR_RETURN(int last_cap, security::ProbeLastCapability());
  ASSIGN_OR_RETURN(init.capabilities,
                   security::ResolveCapabilities(init.spec.process().capabilities(), last_cap));
  security::LinuxCapabilityControl control;
  return security::DropBoundingSet(init.capabilities, control);
}

absl::Status SwitchUser(Init& init) {
  user::LinuxIdentity identity(init.proc);
  return user::SwitchUser(init.exec_user, identity);
}

absl::Status EnterWorkingDirectory(Init& init) {
  if (init.in_working_directory) return absl::OkStatus();
  return process::EnterWorkingDirectory(init.spec.process().cwd());
}

absl::Status ApplyCapabilities(Init& init) {
  security::LinuxCapabilityControl control;
  return security::ApplyCapabilities(init.capabilities, control);
}

absl::Status SetNoNewPrivileges(Init& init) {
  return security::SetNoNewPrivileges(init.spec.process());
}

// Loads linux.seccomp's filter; a notifying one's listener goes to the
// launcher, for the seccomp agent.
absl::Status LoadSeccompFilter(Init& init) {
  ASSIGN_OR_RETURN(const UniqueFd listener, seccomp::LoadFilter(*init.context.seccomp_filter));
  if (!listener.valid()) return absl::OkStatus();
  const int fds[] = {listener.get()};
  if (init.context.container_init_pidfd >= 0) {  // an exec'd process
    channel::SyncMessage message;
    message.mutable_seccomp_listener();
    return init.context.channel.Send(message, fds);
  }
  return init.handshake.Send(channel::SyncMessage::kSeccompListener, fds);
}

// Without no_new_privs, loading a filter takes CAP_SYS_ADMIN, which the user
// switch and the capability sets may take away: the filter is loaded before
// them, as runc does, and the calls that follow must pass it.
absl::Status LoadSeccompFilterWhilePrivileged(Init& init) {
  if (init.context.seccomp_filter == nullptr || init.spec.process().no_new_privileges()) {
    return absl::OkStatus();
  }
  return LoadSeccompFilter(init);
}

// With no_new_privs, as late as the launcher still reads the channel (the
// init's last message is "report ready"; an exec'd process's, its execve):
// the fewest of Hull's own calls must pass the filter.
absl::Status LoadSeccompFilterLast(Init& init) {
  if (init.context.seccomp_filter == nullptr || !init.spec.process().no_new_privileges()) {
    return absl::OkStatus();
  }
  return LoadSeccompFilter(init);
}

// Before start: a missing program fails `create`, as with runc.
absl::Status FindExecutable(Init& init) {
  absl::string_view path = process::FindVariable(init.environment, "PATH").value_or("");
  ASSIGN_OR_RETURN(init.executable, process::FindExecutable(init.spec.process().args(0), path));
  return absl::OkStatus();
}

absl::Status ReportReady(Init& init) {
  // Set at the clone (spawn/init_spawner.cc): once the launcher hears
  // this, it records the container created and exits.
  if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) != 0) return ErrnoStatus("prctl(PR_SET_PDEATHSIG, 0)");
  return init.handshake.Send(channel::SyncMessage::kChildReady);
}

absl::Status WaitForStart(Init& init) {
  init.sealed_exe.Reset();
  ASSIGN_OR_RETURN(init.exec_fifo,
                   process::WaitForStart(init.context.exec_fifo_fd, init.proc.pinned()));
  return absl::OkStatus();
}

constexpr char kStartContainerHooksStep[] = "run the startContainer hooks";

// Released by `start`, in the container, as the user: their failure fails
// `start` (which reads it from the exec fifo), and the init exits.
absl::Status RunStartContainerHooks(Init& init) {
  absl::Status ran = hooks::RunHooks("startContainer", init.spec.hooks().start_container(),
                                     init.start_container_state);
  if (!ran.ok()) {
    const absl::Status failure =
        channel::ChildErrorToStatus(channel::MakeChildError(kStartContainerHooksStep, ran));
    init.failure_reported =
        process::ReportStartFailure(init.exec_fifo.get(), failure.message()).ok();
  }
  return ran;
}

absl::Status ExecUserProcess(Init& init) {
  // The channel is close-on-exec: it reports a failed execve, and closes
  // with a successful one (which is how `exec` learns of it). So does the
  // exec fifo, which releases `start`.
  init.sealed_exe.Reset();
  const int keep[] = {init.context.channel.fd(), init.exec_fifo.get()};
  RETURN_IF_ERROR(process::CloseFdsFrom(3 + init.context.preserve_fds, keep));
  const auto& args = init.spec.process().args();
  return process::Execute(init.executable, {args.begin(), args.end()}, init.environment);
}

// The init, one line a step, in order.
constexpr InitStep kSteps[] = {
    {"join its cgroups", JoinCgroups},
    {"take its stdio and preserved fds", PlaceInheritedFds},
    {"reset its signal dispositions and mask", ResetSignals},
    {"close the launcher's fds", CloseLauncherFds},
    {"join namespaces", EnterNamespaces},
    {"wait for its id maps", WaitForIdMaps},
    {"enter its cgroup namespace", EnterCgroupNamespace},
    {"prepare the root filesystem", MountRootfs},
    {"wait for the prestart and createRuntime hooks", WaitForRuntimeHooks},
    {"run the createContainer hooks", RunCreateContainerHooks},
    {"switch to the root filesystem", PivotRoot},
    {"create the working directory", CreateWorkingDirectory},
    {"set up its terminal", SetUpTerminal},
    {"lead a new session", LeadNewSession},
    {"finish the root filesystem", FinishRootfs},
    {"set the hostname", SetHostname},
    // Before /proc/sys turns read-only (readonlyPaths), as with runc.
    {"apply sysctls", ApplySysctls},
    {"mask and protect paths", RestrictPaths},
    {"bring up the loopback interface", BringUpLoopback},
    {"enter its time namespace", EnterTimeNamespace},
    {"join a new session keyring", JoinSessionKeyring},
    {"set rlimits", ApplyRlimits},
    {"set oom_score_adj", SetOomScoreAdj},
    {"set the scheduling policy", ApplyScheduler},
    {"set the I/O priority", ApplyIoPriority},
    {"set the memory policy", ApplyMemoryPolicy},
    {"set the personality", ApplyPersonality},
    {"set the AppArmor profile", SetAppArmorProfile},
    {"set the SELinux label", SetSelinuxLabel},
    {"set the umask", SetUmask},
    {"resolve the user", ResolveUser},
    {"enter the working directory", TryEnterWorkingDirectory},
    {"drop capabilities from the bounding set", DropBoundingSet},
    {"load the seccomp filter (without no_new_privs)", LoadSeccompFilterWhilePrivileged},
    {"switch to the user", SwitchUser},
    {"enter the working directory as the user", EnterWorkingDirectory},
    {"set capabilities", ApplyCapabilities},
    {"set no_new_privs", SetNoNewPrivileges},
    {"find the executable", FindExecutable},
    {"load the seccomp filter", LoadSeccompFilterLast},
    {"report ready", ReportReady},
    {"wait for start", WaitForStart},
    {kStartContainerHooksStep, RunStartContainerHooks},
    {"exec the process", ExecUserProcess},
};

// A process `exec` starts in a running container: the attributes the init
// gives the container's process, in the same order, in the namespaces the
// init made.
constexpr InitStep kExecSteps[] = {
    {"set the initial CPU affinity", ApplyInitialCpuAffinity},
    {"join its cgroups", JoinCgroups},
    {"set the final CPU affinity", ApplyFinalCpuAffinity},
    {"take its stdio and preserved fds", PlaceInheritedFds},
    {"reset its signal dispositions and mask", ResetSignals},
    {"close the launcher's fds", CloseLauncherFds},
    {"open the container's root", OpenContainerRoot},
    {"join the container's namespaces", JoinContainerNamespaces},
    {"enter the container's root", EnterContainerRoot},
    {"fork into the container's pid namespace", ForkIntoContainer},
    {"set up its terminal", SetUpExecTerminal},
    {"join a new session keyring", JoinSessionKeyring},
    {"set rlimits", ApplyRlimits},
    {"set oom_score_adj", SetOomScoreAdj},
    {"set the scheduling policy", ApplyScheduler},
    {"set the I/O priority", ApplyIoPriority},
    {"set the memory policy", ApplyMemoryPolicy},
    {"set the personality", ApplyPersonality},
    {"set the AppArmor profile", SetAppArmorProfile},
    {"set the SELinux label", SetSelinuxLabel},
    {"set the umask", SetUmask},
    {"resolve the user", ResolveUser},
    {"enter the working directory", TryEnterWorkingDirectory},
    {"drop capabilities from the bounding set", DropBoundingSet},
    {"load the seccomp filter (without no_new_privs)", LoadSeccompFilterWhilePrivileged},
    {"switch to the user", SwitchUser},
    {"enter the working directory as the user", EnterWorkingDirectory},
    {"set capabilities", ApplyCapabilities},
    {"set no_new_privs", SetNoNewPrivileges},
    {"find the executable", FindExecutable},
    {"load the seccomp filter", LoadSeccompFilterLast},
    {"exec the process", ExecUserProcess},
};

}  // namespace

absl::Span<const InitStep> DefaultInitSteps() { return kSteps; }

absl::Span<const InitStep> DefaultExecSteps() { return kExecSteps; }

const InitContext& ContextOf(const Init& init) { return init.context; }

const InitStep* FindDefaultInitStep(absl::string_view name) {
  for (absl::Span<const InitStep> steps : {DefaultInitSteps(), DefaultExecSteps()}) {
    for (const InitStep& step : steps) {
      if (step.name == name) return &step;
    }
  }
  return nullptr;
}

void RunContainerInit(InitContext& context, absl::Span<const InitStep> steps) {
  Init init{.context = context, .spec = context.spec};
  for (const InitStep& step : steps) {
    init.log.Write(step.name);
    absl::Status status = step.run(init);
    if (!status.ok()) {
      const bool exec = context.container_init_pidfd >= 0;
      // The launcher reports (and logs) the error. Once the init has
      // reported ready, the launcher no longer reads the channel (it may be
      // gone): then the container's stderr gets the error, as with runc.
      // `exec` reads its channel until it closes.
      if (init.failure_reported) _exit(1);
      if ((!exec && init.handshake.done()) ||
          !context.channel.SendError(step.name, status, exec ? "exec'd process" : "container init")
               .ok()) {
        std::string line = absl::StrCat(exec ? "hull exec" : "hull init", ": failed to ",
                                        step.name, ": ", status.message(), "\n");
        (void)!write(STDERR_FILENO, line.data(), line.size());
      }
      _exit(1);
    }
  }
  _exit(127);  // not reached with the default steps: the last one execs or fails
}

}  // namespace hull::runtime
