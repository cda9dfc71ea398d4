// The messages the launcher and the container's init exchange during
// create, in the order they pass, declared once for both sides:
//
//   launcher -> init  CgroupJoined   only with the systemd cgroup driver: the
//                                    launcher put the init in its cgroup (the
//                                    scope systemd made around it)
//   init -> launcher  ReadyForIdMaps only when the init has a new user namespace:
//                                    it is dumpable until its maps are written
//   launcher -> init  IdMapsWritten  only when the init has a new user namespace:
//                                    the launcher wrote its maps; the trees of the
//                                    id-mapped binds it made for the init pass
//                                    with it (PlanLauncherTrees)
//   launcher -> init  IdMappedTrees  only when the init joins a user namespace
//                                    and has id-mapped binds: their trees pass
//                                    with it
//   init -> launcher  ReadyForHooks  only when the init waits after its mounts
//                                    (InitWaitsAfterMounts): the mounts are done;
//                                    the launcher runs the prestart and
//                                    createRuntime hooks (with the init's pid as
//                                    its own pid namespace sees it)
//   launcher -> init  HooksDone      only then: the init goes on (createContainer
//                                    hooks, pivot_root, the process's attributes;
//                                    with the state its own hooks read)
//   init -> launcher  PtyMaster      only when the process has a terminal: the
//                                    master of the pty the init made passes
//                                    with it, for the console socket
//   init -> launcher  SeccompListener only when the seccomp filter notifies
//                                    (SCMP_ACT_NOTIFY): the filter's listener
//                                    passes with it, for the seccomp agent
//   init -> launcher  ChildReady     created: the init waits on the exec fifo
//
// A ChildError from the init may come instead of any message it sends.
//
// `exec` has one message (sync_message.proto's ExecStarted): the exec'd
// process, once it has forked into the container's pid namespace, sends
// its pid; then its execve closes the channel (close-on-exec) or it sends a
// ChildError. LinuxActions::SpawnExec and the init's "fork into the
// container's pid namespace" step are its two sides.
#ifndef HULL_RUNTIME_CHANNEL_CREATE_HANDSHAKE_H_
#define HULL_RUNTIME_CHANNEL_CREATE_HANDSHAKE_H_

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/channel/sync_message.pb.h"

namespace hull::channel {

enum class CreatePeer { kLauncher, kInit };

struct CreateMessage {
  CreatePeer sender;
  SyncMessage::KindCase kind;
  // Passes only when the init is in a user namespace it was cloned into.
  bool only_with_new_user_namespace = false;
  // Passes only when the process has a terminal (process.terminal).
  bool only_with_terminal = false;
  // Passes only when the seccomp filter has SCMP_ACT_NOTIFY rules.
  bool only_with_seccomp_listener = false;
  // Passes only when the launcher puts the init in its cgroup after the
  // clone (cgroups::CloneTargets::join_by_add_process).
  bool only_with_cgroup_joined_by_launcher = false;
  // Passes only when the init joins a user namespace and has id-mapped binds
  // (rootfs::JoinsUserNamespaceWithLauncherTrees).
  bool only_with_trees_for_joined_user_namespace = false;
  // Passes only when the init waits after its mounts (InitWaitsAfterMounts).
  bool only_when_init_waits_after_mounts = false;
};

// Whether the init stops after its mounts until the launcher says it may go
// on (ReadyForHooks, HooksDone): for the prestart and createRuntime hooks,
// which the launcher runs meanwhile; for the state the createContainer and
// startContainer hooks read, which comes with HooksDone; and for the network
// devices the launcher moves into the container meanwhile, which the init's
// sysctls may name. Without any of them the init goes straight on, as runc's
// does without hooks: one round trip fewer on every create.
bool InitWaitsAfterMounts(const config::Spec& spec);

inline constexpr CreateMessage kCreateSequence[] = {
    {.sender = CreatePeer::kLauncher,
     .kind = SyncMessage::kCgroupJoined,
     .only_with_cgroup_joined_by_launcher = true},
    {CreatePeer::kInit, SyncMessage::kReadyForIdMaps, /*only_with_new_user_namespace=*/true},
    {CreatePeer::kLauncher, SyncMessage::kIdMapsWritten, /*only_with_new_user_namespace=*/true},
    {.sender = CreatePeer::kLauncher,
     .kind = SyncMessage::kIdMappedTrees,
     .only_with_trees_for_joined_user_namespace = true},
    {.sender = CreatePeer::kInit,
     .kind = SyncMessage::kReadyForHooks,
     .only_when_init_waits_after_mounts = true},
    {.sender = CreatePeer::kLauncher,
     .kind = SyncMessage::kHooksDone,
     .only_when_init_waits_after_mounts = true},
    {.sender = CreatePeer::kInit, .kind = SyncMessage::kPtyMaster, .only_with_terminal = true},
    {.sender = CreatePeer::kInit,
     .kind = SyncMessage::kSeccompListener,
     .only_with_seccomp_listener = true},
    {CreatePeer::kInit, SyncMessage::kChildReady},
};

// One side's walk through kCreateSequence over its end of the channel. Each
// Send or Expect must be the sequence's next message, else it is refused
// (Internal), so that neither side can drift from the other.
class CreateHandshake {
 public:
  // `channel` must outlive the handshake.
  CreateHandshake(SyncChannel& channel, CreatePeer side, bool new_user_namespace,
                  bool terminal = false, bool seccomp_listener = false,
                  bool cgroup_joined_by_launcher = false,
                  bool trees_for_joined_user_namespace = false,
                  bool init_waits_after_mounts = true)
      : channel_(channel),
        side_(side),
        new_user_namespace_(new_user_namespace),
        terminal_(terminal),
        seccomp_listener_(seccomp_listener),
        cgroup_joined_by_launcher_(cgroup_joined_by_launcher),
        trees_for_joined_user_namespace_(trees_for_joined_user_namespace),
        init_waits_after_mounts_(init_waits_after_mounts) {}

  // Sends `kind`, which must be this side's next message, with nothing in
  // it but copies of `fds`.
  absl::Status Send(SyncMessage::KindCase kind, absl::Span<const int> fds = {});
  // The same for a message that carries something.
  absl::Status Send(const SyncMessage& message, absl::Span<const int> fds = {});

  // Receives the other side's next message, which must be `kind`.
  absl::Status Expect(SyncMessage::KindCase kind,
                      absl::Duration timeout = absl::InfiniteDuration());
  // The same, returning the message.
  absl::StatusOr<SyncMessage> ExpectMessage(SyncMessage::KindCase kind,
                                            absl::Duration timeout = absl::InfiniteDuration());

  // The same for a message that passes one fd (PtyMaster, SeccompListener):
  // that fd.
  absl::StatusOr<UniqueFd> ExpectFd(SyncMessage::KindCase kind,
                                    absl::Duration timeout = absl::InfiniteDuration());
  // The same for a message that passes any number of fds (IdMapsWritten,
  // IdMappedTrees):
  // those fds, in the order they were sent.
  absl::StatusOr<std::vector<UniqueFd>> ExpectFds(
      SyncMessage::KindCase kind, absl::Duration timeout = absl::InfiniteDuration());

  // True once every message of the sequence has passed.
  bool done() const;

  // Whether ReadyForHooks and HooksDone pass (InitWaitsAfterMounts, as the
  // handshake was made with): both sides ask this, not the config again.
  bool init_waits_after_mounts() const { return init_waits_after_mounts_; }

 private:
  CreatePeer Other() const;
  // Checks that `kind` from `sender` is next, and moves past it.
  absl::Status Advance(CreatePeer sender, SyncMessage::KindCase kind);
  // Whether `message` passes in this container.
  bool Passes(const CreateMessage& message) const;
  // Skips the messages that do not pass in this container.
  void SkipAbsent();

  SyncChannel& channel_;
  CreatePeer side_;
  bool new_user_namespace_;
  bool terminal_;
  bool seccomp_listener_;
  bool cgroup_joined_by_launcher_;
  bool trees_for_joined_user_namespace_;
  bool init_waits_after_mounts_;
  size_t next_ = 0;
};

}  // namespace hull::channel

#endif  // HULL_RUNTIME_CHANNEL_CREATE_HANDSHAKE_H_
