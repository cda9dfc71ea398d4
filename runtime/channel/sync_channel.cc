#include "runtime/channel/sync_channel.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/poll_timeout.h"
#include "absl/types/span.h"
#include "base/fd_passing.h"
#include "base/status_util.h"
#include "runtime/channel/sync_message.pb.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::channel {
namespace {

// Far more than any message needs; a packet this large is refused.
constexpr size_t kMaxMessageBytes = 64 * 1024;
// The most fds one message may pass: the kernel's SCM_MAX_FD (a terminal's
// master is one; IdMapsWritten passes one per id-mapped bind).
constexpr size_t kMaxMessageFds = 253;

}  // namespace

SyncChannel::SyncChannel(UniqueFd fd, std::string peer)
    : fd_(std::move(fd)), peer_(std::move(peer)) {}

absl::StatusOr<SyncChannelPair> CreateSyncChannelPair(absl::string_view child_name) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return ErrnoStatus("socketpair(AF_UNIX, SOCK_SEQPACKET)");
  }
  return SyncChannelPair{.parent = SyncChannel(UniqueFd(fds[0]), std::string(child_name)),
                         .child = SyncChannel(UniqueFd(fds[1]), "the launcher")};
}

std::string KindName(SyncMessage::KindCase kind) {
  if (kind == SyncMessage::KIND_NOT_SET) return "an empty message";
  const google::protobuf::FieldDescriptor* field =
      SyncMessage::descriptor()->FindFieldByNumber(kind);
  if (field == nullptr || field->message_type() == nullptr) {
    return absl::StrCat("message kind ", static_cast<int>(kind));
  }
  return field->message_type()->name();
}

absl::Status SyncChannel::Send(const SyncMessage& message, absl::Span<const int> fds) {
  const std::string bytes = message.SerializeAsString();
  if (bytes.size() > kMaxMessageBytes) {
    return absl::InvalidArgumentError(absl::StrCat("send ", KindName(message.kind_case()), " to ",
                                                   peer_, ": ", bytes.size(),
                                                   " bytes is more than ", kMaxMessageBytes));
  }
  const ssize_t sent = SendMessageWithFds(fd_.get(), bytes, fds);
  if (sent < 0) {
    const int error = errno;
    const std::string what = absl::StrCat("send ", KindName(message.kind_case()), " to ", peer_);
    if (error == EPIPE || error == ECONNRESET) {
      return PeerErrorOr(absl::UnavailableError(absl::StrCat(what, ": it has exited")));
    }
    return absl::ErrnoToStatus(error, what);
  }
  if (static_cast<size_t>(sent) != bytes.size()) {
    return absl::DataLossError(absl::StrCat("send ", KindName(message.kind_case()), " to ", peer_,
                                            ": sent ", sent, " of ", bytes.size(), " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReceivedSyncMessage> SyncChannel::ReceiveWithFds(absl::Duration timeout) {
  const absl::Time deadline = DeadlineIn(timeout);
  while (true) {
    pollfd pfd = {.fd = fd_.get(), .events = POLLIN, .revents = 0};
    const int ready = poll(&pfd, 1, PollTimeoutMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ErrnoStatus("poll the channel to ", peer_);
    if (ready == 0) {
      return absl::DeadlineExceededError(
          absl::StrCat(peer_, " sent nothing within ", absl::FormatDuration(timeout)));
    }
    break;
  }
  // recvmsg, so that the fds a message passes are not lost.
  absl::StatusOr<ReceivedMessage> received =
      ::hull::ReceiveWithFds(fd_.get(), kMaxMessageBytes, kMaxMessageFds);
  if (!received.ok()) return Annotate(received.status(), absl::StrCat("receive from ", peer_));
  // SOCK_SEQPACKET: an empty read is the peer's end closed (a message is
  // never empty: its kind is always set).
  if (received->data.empty()) return absl::UnavailableError(absl::StrCat(peer_, " has exited"));
  ReceivedSyncMessage result{.fds = std::move(received->fds)};
  if (!result.message.ParseFromString(received->data) ||
      result.message.kind_case() == SyncMessage::KIND_NOT_SET) {
    return absl::DataLossError(absl::StrCat("receive from ", peer_, ": ", received->data.size(),
                                            " bytes are not a SyncMessage"));
  }
  return result;
}

absl::StatusOr<SyncMessage> SyncChannel::Receive(absl::Duration timeout) {
  ASSIGN_OR_RETURN(ReceivedSyncMessage received, ReceiveWithFds(timeout));
  return std::move(received.message);
}

absl::Status SyncChannel::Expect(SyncMessage::KindCase kind, absl::Duration timeout) {
  return ExpectReceived(kind, timeout).status();
}

absl::StatusOr<SyncMessage> SyncChannel::ExpectMessage(SyncMessage::KindCase kind,
                                                       absl::Duration timeout) {
  ASSIGN_OR_RETURN(ReceivedSyncMessage received, ExpectReceived(kind, timeout));
  return std::move(received.message);
}

absl::StatusOr<std::vector<UniqueFd>> SyncChannel::ExpectWithFds(SyncMessage::KindCase kind,
                                                                 absl::Duration timeout) {
  ASSIGN_OR_RETURN(ReceivedSyncMessage received, ExpectReceived(kind, timeout));
  return std::move(received.fds);
}

absl::StatusOr<ReceivedSyncMessage> SyncChannel::ExpectReceived(SyncMessage::KindCase kind,
                                                                absl::Duration timeout) {
  absl::StatusOr<ReceivedSyncMessage> received = ReceiveWithFds(timeout);
  if (absl::IsUnavailable(received.status())) {
    return absl::UnavailableError(absl::StrCat(peer_, " exited before sending ", KindName(kind)));
  }
  if (absl::IsDeadlineExceeded(received.status())) {
    return absl::DeadlineExceededError(absl::StrCat(peer_, " did not send ", KindName(kind),
                                                    " within ", absl::FormatDuration(timeout)));
  }
  RETURN_IF_ERROR(received.status());
  const SyncMessage& message = received->message;
  if (message.kind_case() == kind) return received;
  if (message.has_child_error()) return ChildErrorToStatus(message.child_error());
  return absl::InternalError(absl::StrCat(peer_, " sent ", KindName(message.kind_case()),
                                          " where ", KindName(kind), " was expected"));
}

absl::Status SyncChannel::PeerErrorOr(absl::Status fallback) {
  absl::StatusOr<SyncMessage> last = Receive(absl::ZeroDuration());
  if (last.ok() && last->has_child_error()) return ChildErrorToStatus(last->child_error());
  return fallback;
}

absl::Status SyncChannel::SendError(absl::string_view step, const absl::Status& status,
                                    absl::string_view process) {
  SyncMessage message;
  *message.mutable_child_error() = MakeChildError(step, status, process);
  return Send(message);
}

ChildError MakeChildError(absl::string_view step, const absl::Status& status,
                          absl::string_view process) {
  ChildError error;
  error.set_process(std::string(process));
  error.set_code(static_cast<int32_t>(status.code()));
  error.set_step(std::string(step));
  error.set_message(std::string(status.message()));
  return error;
}

absl::Status ChildErrorToStatus(const ChildError& error) {
  std::string head =
      absl::StrCat(error.process().empty() ? "container init" : error.process(), " failed");
  if (!error.step().empty()) absl::StrAppend(&head, " to ", error.step());
  if (!error.message().empty()) absl::StrAppend(&head, ": ", error.message());
  absl::StatusCode code = absl::StatusCode::kUnknown;
  if (error.code() > 0 &&
      error.code() <= static_cast<int32_t>(absl::StatusCode::kUnauthenticated)) {
    code = static_cast<absl::StatusCode>(error.code());
  }
  return absl::Status(code, head);
}

}  // namespace hull::channel
