#include "runtime/console/window_size.h"

#include <pty.h>
#include <unistd.h>

#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::console {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

TEST(WindowSizeTest, WhatOneEndOfAPtySetsTheOtherReads) {
  int master_fd, slave_fd;
  ASSERT_EQ(openpty(&master_fd, &slave_fd, nullptr, nullptr, nullptr), 0);
  UniqueFd master(master_fd), slave(slave_fd);
  ASSERT_THAT(SetWindowSize(master.get(), {.rows = 33, .columns = 101}), IsOk());
  absl::StatusOr<WindowSize> size = GetWindowSize(slave.get());
  ASSERT_THAT(size, IsOk());
  EXPECT_EQ(*size, (WindowSize{.rows = 33, .columns = 101}));
}

TEST(WindowSizeTest, APipeHasNone) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  EXPECT_THAT(
      GetWindowSize(read_end.get()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(TIOCGWINSZ): Inappropriate ioctl")));
  EXPECT_THAT(SetWindowSize(read_end.get(), {.rows = 1, .columns = 1}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to 1x1 (TIOCSWINSZ)")));
}

}  // namespace
}  // namespace hull::console
