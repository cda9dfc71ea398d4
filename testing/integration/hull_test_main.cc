// main() of the integration tests: `TEST_BINARY [gtest flags] HULL_BINARY`,
// with HULL_BINARY from $(location //tools/launcher:hull).
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"
#include "testing/needs_root.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  hull::testing::FailEveryTestUnlessRoot();
  char resolved[PATH_MAX];
  if (argc != 2 || realpath(argv[1], resolved) == nullptr) {
    fprintf(stderr,
            "FAIL: usage: %s HULL_BINARY (args = [\"$(location //tools/launcher:hull)\"]);"
            " got %d argument(s)\n",
            argv[0], argc - 1);
    return 1;
  }
  hull::testing::SetHullBinary(resolved);
  return RUN_ALL_TESTS();
}
