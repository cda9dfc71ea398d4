#include "base/status_util.h"

#include <cerrno>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;

TEST(ErrnoStatusTest, NamesWhatFailedAndWhy) {
  errno = ENOENT;
  EXPECT_THAT(ErrnoStatus("open \"/x\""),
              StatusIs(absl::StatusCode::kNotFound, "open \"/x\": No such file or directory"));
}

TEST(AnnotateTest, PrefixesTheMessageAndKeepsTheCode) {
  EXPECT_THAT(Annotate(absl::PermissionDeniedError("denied"), "mount \"/proc\""),
              StatusIs(absl::StatusCode::kPermissionDenied, "mount \"/proc\": denied"));
  EXPECT_THAT(Annotate(absl::OkStatus(), "anything"), IsOk());
}

}  // namespace
}  // namespace hull
