#include "runtime/channel/create_handshake.h"

#include <cstddef>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace hull::channel {
namespace {

constexpr size_t kSequenceLength = std::size(kCreateSequence);

const char* SideName(CreatePeer side) {
  return side == CreatePeer::kLauncher ? "the launcher" : "the container init";
}

}  // namespace

void CreateHandshake::SkipAbsent() {
  while (next_ < kSequenceLength && kCreateSequence[next_].only_with_new_user_namespace &&
         !new_user_namespace_) {
    ++next_;
  }
}

bool CreateHandshake::done() const {
  size_t next = next_;
  while (next < kSequenceLength && kCreateSequence[next].only_with_new_user_namespace &&
         !new_user_namespace_) {
    ++next;
  }
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

absl::Status CreateHandshake::Send(SyncMessage::KindCase kind) {
  SyncMessage message;
  // Sets the (empty) message of the oneof field numbered `kind`.
  message.GetReflection()->MutableMessage(&message,
                                          SyncMessage::descriptor()->FindFieldByNumber(kind));
  return Send(message);
}

absl::Status CreateHandshake::Send(const SyncMessage& message) {
  RETURN_IF_ERROR(Advance(side_, message.kind_case()));
  return channel_.Send(message);
}

absl::Status CreateHandshake::Expect(SyncMessage::KindCase kind, absl::Duration timeout) {
  return ExpectMessage(kind, timeout).status();
}

absl::StatusOr<SyncMessage> CreateHandshake::ExpectMessage(SyncMessage::KindCase kind,
                                                           absl::Duration timeout) {
  const CreatePeer other = side_ == CreatePeer::kLauncher ? CreatePeer::kInit : CreatePeer::kLauncher;
  RETURN_IF_ERROR(Advance(other, kind));
  return channel_.ExpectMessage(kind, timeout);
}

}  // namespace hull::channel
