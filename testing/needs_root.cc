#include "testing/needs_root.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace hull::testing {
namespace {

// A fatal failure recorded while a test starts is that test's: gtest then
// runs neither its SetUp nor its body, and reports it failed with the message.
class FailEveryTest : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo&) override {
    GTEST_FAIL() << "needs root: this test makes namespaces, mounts, cgroups or containers of "
                    "its own; run `bazel test` as root, or `bazel test --config=hermetic`, "
                    "which leaves it out";
  }
};

}  // namespace

void FailEveryTestUnlessRoot() {
  if (geteuid() == 0) return;
  ::testing::UnitTest::GetInstance()->listeners().Append(new FailEveryTest);
}

}  // namespace hull::testing
