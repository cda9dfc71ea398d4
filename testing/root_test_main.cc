// main() of the root tests: gtest_main's, with their tests failed, saying
// why, when not run as root (testing/needs_root.h), and the entry of the
// container processes they create (runtime/spawn/sealed_reexec.h).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/spawn/sealed_reexec.h"
#include "testing/needs_root.h"

int main(int argc, char** argv) {
  // The containers' processes these tests create re-execute the test binary.
  hull::runtime::ContainerProcessMain(argc, argv);
  ::testing::InitGoogleMock(&argc, argv);
  hull::testing::FailEveryTestUnlessRoot();
  return RUN_ALL_TESTS();
}
