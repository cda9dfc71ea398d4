#include "runtime/console/raw_mode.h"

#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::console {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;

class RawModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int master_fd, slave_fd;
    ASSERT_EQ(openpty(&master_fd, &slave_fd, nullptr, nullptr, nullptr), 0);
    master_.Reset(master_fd);
    slave_.Reset(slave_fd);
    ASSERT_EQ(tcgetattr(slave_.get(), &original_), 0);
  }

  termios Current() const {
    termios now{};
    EXPECT_EQ(tcgetattr(slave_.get(), &now), 0);
    return now;
  }

  void ExpectOriginal() const {
    const termios now = Current();
    EXPECT_EQ(now.c_iflag, original_.c_iflag);
    EXPECT_EQ(now.c_oflag, original_.c_oflag);
    EXPECT_EQ(now.c_lflag, original_.c_lflag);
    EXPECT_EQ(now.c_cflag, original_.c_cflag);
  }

  UniqueFd master_;
  UniqueFd slave_;
  termios original_;
};

TEST_F(RawModeTest, RawWhileHeldButOutputStillProcessedThenRestored) {
  // A new pty is cooked: line editing, echo, signals from keys, CR to NL.
  ASSERT_NE(original_.c_lflag & ICANON, 0u);
  ASSERT_NE(original_.c_lflag & ECHO, 0u);
  {
    absl::StatusOr<RawMode> raw = RawMode::Enter(slave_.get());
    ASSERT_THAT(raw, IsOk());
    const termios now = Current();
    EXPECT_EQ(now.c_lflag & (ICANON | ECHO | ISIG | IEXTEN), 0u);
    EXPECT_EQ(now.c_iflag & (ICRNL | IXON), 0u);
    EXPECT_NE(now.c_oflag & OPOST, 0u);
    EXPECT_EQ(now.c_oflag & ONLCR, original_.c_oflag & ONLCR);
  }
  ExpectOriginal();
}

TEST_F(RawModeTest, OnlyTheLastOwnerRestores) {
  std::optional<RawMode> second;
  {
    absl::StatusOr<RawMode> first = RawMode::Enter(slave_.get());
    ASSERT_THAT(first, IsOk());
    second.emplace(*std::move(first));
  }
  EXPECT_EQ(Current().c_lflag & ICANON, 0u);
  second.reset();
  ExpectOriginal();
}

TEST_F(RawModeTest, APipeIsNoTerminal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  EXPECT_THAT(RawMode::Enter(read_end.get()).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "fd " + std::to_string(read_end.get()) + " is not a terminal"));
}

}  // namespace
}  // namespace hull::console
