// Terminals in tests: a pty pair, and the user at its master, who types and
// reads what the terminal shows, as a terminal emulator would.
#ifndef HULL_TESTING_TERMINAL_USER_H_
#define HULL_TESTING_TERMINAL_USER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/fd.h"

namespace hull::testing {

struct PtyPair {
  UniqueFd master;
  UniqueFd slave;
};

// A new pty from the host's /dev/ptmx (no root needed), both ends
// close-on-exec.
absl::StatusOr<PtyPair> OpenPtyPair();

class TerminalUser {
 public:
  // `master` stays the caller's.
  explicit TerminalUser(int master) : master_(master) {}

  // Writes `text` to the terminal, as typed.
  bool Type(const std::string& text);

  // Reads until what was shown since the last match holds `wanted` (true),
  // or `timeout` passes or the terminal closes (false).
  bool WaitFor(const std::string& wanted, absl::Duration timeout = absl::Seconds(10));

  // Everything shown so far, for failure messages.
  const std::string& shown() const { return shown_; }
  // What was shown between the last two matches' ends: the output of the
  // last command waited for.
  std::string LastOutput() const { return shown_.substr(previous_, consumed_ - previous_); }

 private:
  int master_;
  std::string shown_;
  size_t previous_ = 0;
  size_t consumed_ = 0;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_TERMINAL_USER_H_
