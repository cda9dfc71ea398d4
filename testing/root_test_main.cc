// main() of the root tests: gtest_main's, with their tests skipped, saying
// why, when not run as root (testing/needs_root.h).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/needs_root.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleMock(&argc, argv);
  hull::testing::SkipEveryTestUnlessRoot();
  return RUN_ALL_TESTS();
}
