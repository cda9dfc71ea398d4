#include "runtime/channel/create_handshake.h"

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace hull::channel {
namespace {

constexpr size_t kSequenceLength = std::size(kCreateSequence);

const char* SideName(CreatePeer side) {
  return side == CreatePeer::kLauncher ? "the launcher" : "the container init";
}

}  // namespace

bool InitWaitsAfterMounts(const config::Spec& spec) {
  const config::Hooks& hooks = spec.hooks();
  return !hooks.prestart().empty() || !hooks.create_runtime().empty() ||
         !hooks.create_container().empty() || !hooks.start_container().empty() ||
         !spec.linux().net_devices().empty();
}

bool CreateHandshake::Passes(const CreateMessage& message) const {
  return (new_user_namespace_ || !message.only_with_new_user_namespace) &&
         (terminal_ || !message.only_with_terminal) &&
         (seccomp_listener_ || !message.only_with_seccomp_listener) &&
         (cgroup_joined_by_launcher_ || !message.only_with_cgroup_joined_by_launcher) &&
         (trees_for_joined_user_namespace_ || !message.only_with_trees_for_joined_user_namespace) &&
         (init_waits_after_mounts_ || !message.only_when_init_waits_after_mounts);
}

void CreateHandshake::SkipAbsent() {
  while (next_ < kSequenceLength && !Passes(kCreateSequence[next_])) ++next_;
}

bool CreateHandshake::done() const {
  size_t next = next_;
  while (next < kSequenceLength && !Passes(kCreateSequence[next])) ++next;
  return next == kSequenceLength;
}

absl::Status CreateHandshake::Advance(CreatePeer sender, SyncMessage::KindCase kind) {
  SkipAbsent();
  if (next_ == kSequenceLength) {
    return absl::InternalError(absl::StrCat("create handshake: ", KindName(kind), " from ",
                                            SideName(sender), " after the last message"));
  }
  const CreateMessage& expected = kCreateSequence[next_];
  if (expected.sender != sender || expected.kind != kind) {
    return absl::InternalError(absl::StrCat(
        "create handshake: ", KindName(kind), " from ", SideName(sender), " out of turn; next is ",
        KindName(expected.kind), " from ", SideName(expected.sender)));
  }
  ++next_;
  return absl::OkStatus();
}

absl::Status CreateHandshake::Send(SyncMessage::KindCase kind, absl::Span<const int> fds) {
  // The generated setters, not reflection: reflection would build the
  // descriptors of sync_message.proto in the container's init, which uses
  // no other (a tenth of the init's own CPU time on this host).
  SyncMessage message;
  switch (kind) {
    case SyncMessage::kIdMapsWritten:
      message.mutable_id_maps_written();
      break;
    case SyncMessage::kReadyForHooks:
      message.mutable_ready_for_hooks();
      break;
    case SyncMessage::kHooksDone:
      message.mutable_hooks_done();
      break;
    case SyncMessage::kChildReady:
      message.mutable_child_ready();
      break;
    case SyncMessage::kChildError:
      message.mutable_child_error();
      break;
    case SyncMessage::kExecStarted:
      message.mutable_exec_started();
      break;
    case SyncMessage::kPtyMaster:
      message.mutable_pty_master();
      break;
    case SyncMessage::kSeccompListener:
      message.mutable_seccomp_listener();
      break;
    case SyncMessage::kCgroupJoined:
      message.mutable_cgroup_joined();
      break;
    case SyncMessage::kReadyForIdMaps:
      message.mutable_ready_for_id_maps();
      break;
    case SyncMessage::kIdMappedTrees:
      message.mutable_id_mapped_trees();
      break;
    case SyncMessage::KIND_NOT_SET:
      return absl::InternalError(absl::StrCat("create handshake: ", KindName(kind)));
  }
  return Send(message, fds);
}

absl::Status CreateHandshake::Send(const SyncMessage& message, absl::Span<const int> fds) {
  RETURN_IF_ERROR(Advance(side_, message.kind_case()));
  return channel_.Send(message, fds);
}

absl::Status CreateHandshake::Expect(SyncMessage::KindCase kind, absl::Duration timeout) {
  return ExpectMessage(kind, timeout).status();
}

absl::StatusOr<SyncMessage> CreateHandshake::ExpectMessage(SyncMessage::KindCase kind,
                                                           absl::Duration timeout) {
  RETURN_IF_ERROR(Advance(Other(), kind));
  return channel_.ExpectMessage(kind, timeout);
}

absl::StatusOr<std::vector<UniqueFd>> CreateHandshake::ExpectFds(SyncMessage::KindCase kind,
                                                                 absl::Duration timeout) {
  RETURN_IF_ERROR(Advance(Other(), kind));
  return channel_.ExpectWithFds(kind, timeout);
}

absl::StatusOr<UniqueFd> CreateHandshake::ExpectFd(SyncMessage::KindCase kind,
                                                  absl::Duration timeout) {
  ASSIGN_OR_RETURN(std::vector<UniqueFd> fds, ExpectFds(kind, timeout));
  if (fds.size() != 1) {
    return absl::InternalError(absl::StrCat(KindName(kind), " passed ", fds.size(),
                                            " fds instead of one"));
  }
  return std::move(fds.front());
}

CreatePeer CreateHandshake::Other() const {
  return side_ == CreatePeer::kLauncher ? CreatePeer::kInit : CreatePeer::kLauncher;
}

}  // namespace hull::channel
