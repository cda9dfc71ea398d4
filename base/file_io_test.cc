#include "base/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// A pipe holding `contents`, its write end closed.
UniqueFd PipeWith(const std::string& contents) {
  int ends[2];
  EXPECT_EQ(pipe(ends), 0);
  EXPECT_EQ(write(ends[1], contents.data(), contents.size()),
            static_cast<ssize_t>(contents.size()));
  close(ends[1]);
  return UniqueFd(ends[0]);
}

TEST(ReadAllTest, ReadsPastOneBuffer) {
  const std::string contents(10000, 'x');
  UniqueFd fd = PipeWith(contents);
  EXPECT_THAT(ReadAll(fd.get(), "pipe"), IsOkAndHolds(contents));
}

TEST(ReadAllTest, AnEmptyFileIsEmpty) {
  UniqueFd fd = PipeWith("");
  EXPECT_THAT(ReadAll(fd.get(), "pipe"), IsOkAndHolds(""));
}

TEST(ReadAllTest, RefusesMoreThanTheLimit) {
  UniqueFd fd = PipeWith(std::string(5000, 'x'));
  EXPECT_THAT(ReadAll(fd.get(), "big", 4096),
              StatusIs(absl::StatusCode::kResourceExhausted, "read big: larger than 4096 bytes"));
}

TEST(ReadAllTest, NamesTheFileAndTheErrno) {
  UniqueFd directory(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(directory.valid());
  EXPECT_THAT(ReadAll(directory.get(), "/"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read /: Is a directory")));
}

}  // namespace
}  // namespace hull
