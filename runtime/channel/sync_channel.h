// The typed channel between the launcher and the container's init: a
// SOCK_SEQPACKET socketpair carrying one SyncMessage per packet, and with it
// the fds the message passes (SCM_RIGHTS), such as a terminal's master.
#ifndef HULL_RUNTIME_CHANNEL_SYNC_CHANNEL_H_
#define HULL_RUNTIME_CHANNEL_SYNC_CHANNEL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/channel/sync_message.pb.h"
#include "base/fd.h"

namespace hull::channel {

// A message and the fds that came with it.
struct ReceivedSyncMessage {
  SyncMessage message;
  std::vector<UniqueFd> fds;  // close-on-exec
};

// One end of the channel. Move-only; closing it (destruction) is what the
// other end sees as "the peer exited".
class SyncChannel {
 public:
  // `fd` is one end of a connected SOCK_SEQPACKET socket; `peer` names the
  // other end in errors ("container init", "the launcher").
  SyncChannel(UniqueFd fd, std::string peer);

  // Sends one message, with copies of `fds`. An error names the peer when it
  // has gone, or is the ChildError it sent before it exited
  // (ChildErrorToStatus).
  absl::Status Send(const SyncMessage& message, absl::Span<const int> fds = {});

  // Receives the next message and the fds passed with it, waiting at most
  // `timeout`: DeadlineExceeded when none came in time, Unavailable when the
  // peer closed its end (it exited) with nothing left to read.
  absl::StatusOr<ReceivedSyncMessage> ReceiveWithFds(
      absl::Duration timeout = absl::InfiniteDuration());

  // The same, closing whatever fds came with the message.
  absl::StatusOr<SyncMessage> Receive(absl::Duration timeout = absl::InfiniteDuration());

  // Receives the next message and checks that it is of `kind`. A ChildError
  // received instead becomes its status (ChildErrorToStatus); a closed peer
  // reads "container init exited before sending ChildReady"; another kind is
  // an Internal error naming both kinds.
  absl::Status Expect(SyncMessage::KindCase kind,
                      absl::Duration timeout = absl::InfiniteDuration());
  // The same, returning the message (for kinds that carry something).
  absl::StatusOr<SyncMessage> ExpectMessage(SyncMessage::KindCase kind,
                                            absl::Duration timeout = absl::InfiniteDuration());

  // The same, returning the fds that came with the message.
  absl::StatusOr<std::vector<UniqueFd>> ExpectWithFds(
      SyncMessage::KindCase kind, absl::Duration timeout = absl::InfiniteDuration());

  // Child side: reports a failure of `process` ("container init") at `step`
  // to the parent.
  absl::Status SendError(absl::string_view step, const absl::Status& status,
                         absl::string_view process = "container init");

  // When the peer failed, it sent why before it exited: that error, already
  // queued, says more than `fallback` (what failed here as a consequence).
  absl::Status PeerErrorOr(absl::Status fallback);

  int fd() const { return fd_.get(); }

 private:
  // The next message, checked to be of `kind` (see Expect).
  absl::StatusOr<ReceivedSyncMessage> ExpectReceived(SyncMessage::KindCase kind,
                                                     absl::Duration timeout);

  UniqueFd fd_;
  std::string peer_;
};

// The two ends of a new channel, both close-on-exec. After the clone the
// parent keeps `parent` and destroys `child`, the child the reverse: then each
// end sees the other's exit.
struct SyncChannelPair {
  SyncChannel parent;
  SyncChannel child;
};
// `child_name` names the child in the parent's errors ("exec'd process").
absl::StatusOr<SyncChannelPair> CreateSyncChannelPair(
    absl::string_view child_name = "container init");

// The name of a message kind as in the schema ("ChildReady").
std::string KindName(SyncMessage::KindCase kind);

// The ChildError for a failure of `process` at `step` described by `status`.
ChildError MakeChildError(absl::string_view step, const absl::Status& status,
                          absl::string_view process = "container init");

// One status for a child's error, keeping its code: "<process> failed to
// <step>: <message>" ("container init" when it names no process).
absl::Status ChildErrorToStatus(const ChildError& error);

}  // namespace hull::channel

#endif  // HULL_RUNTIME_CHANNEL_SYNC_CHANNEL_H_
