// The log of a process Hull clones (a container's init): runc's log pipe
// (_LIBCONTAINER_LOGPIPE). When the caller wants the child's steps in its log
// (`hull --debug`), the child sends one record per step as it runs it, and the
// launcher forwards each record to its own log; otherwise there is no log and
// the child writes nothing.
//
// runc uses a pipe. Here it is a SOCK_SEQPACKET socketpair, for what a pipe
// cannot give:
//  - the child's sends never block (MSG_DONTWAIT), whether or not anyone
//    reads: a record that does not fit is dropped and counted, never waited
//    for;
//  - they never raise SIGPIPE (MSG_NOSIGNAL): the init's dispositions are
//    the defaults by its third step, and it outlives the launcher's end
//    (create returns while it waits for start);
//  - a record is one packet: never split, never interleaved, no framing.
// The launcher reads what is queued whenever the child sends it a message on
// the create channel (the child logs a step before it sends anything), so
// its records reach the log in order with the launcher's own, and the
// launcher never waits on the log either.
#ifndef HULL_RUNTIME_CHANNEL_CHILD_LOG_H_
#define HULL_RUNTIME_CHANNEL_CHILD_LOG_H_

#include <cstddef>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"

namespace hull::channel {

// Longer records are cut to this many bytes.
inline constexpr size_t kMaxChildLogRecord = 4096;

// The two ends of a new log, both close-on-exec: the launcher keeps
// `parent` and gives `child` to the clone, then closes its copy.
struct ChildLogPair {
  UniqueFd parent;
  UniqueFd child;
};
absl::StatusOr<ChildLogPair> CreateChildLogPair();

// The child's side. Never blocks and never fails.
class ChildLogWriter {
 public:
  // `fd` is the child's end (not owned), or -1: Write does nothing.
  explicit ChildLogWriter(int fd) : fd_(fd) {}

  // Sends `message` as one record. When the launcher's queue is full the
  // record is dropped; the next one that fits is preceded by a record saying
  // how many were.
  void Write(absl::string_view message);

 private:
  bool Send(absl::string_view record);

  int fd_;
  int dropped_ = 0;
};

// The launcher's side: passes every record queued on `fd` (the parent's
// end) to `sink`, in order, and returns once none is left; never waits.
void ForwardChildLog(int fd, const std::function<void(absl::string_view record)>& sink);

}  // namespace hull::channel

#endif  // HULL_RUNTIME_CHANNEL_CHILD_LOG_H_
