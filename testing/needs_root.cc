#include "testing/needs_root.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace hull::testing {
namespace {

// A skip recorded while a test starts is that test's: gtest then runs neither
// its SetUp nor its body, and reports it skipped with the message.
class SkipEveryTest : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo&) override {
    GTEST_SKIP() << "needs root: this test makes namespaces, mounts, cgroups or containers of "
                    "its own; `bazel test` runs it (tagged local) as root, and "
                    "`bazel test --config=hermetic` leaves it out";
  }
};

}  // namespace

void SkipEveryTestUnlessRoot() {
  if (geteuid() == 0) return;
  ::testing::UnitTest::GetInstance()->listeners().Append(new SkipEveryTest);
}

}  // namespace hull::testing
