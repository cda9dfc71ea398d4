// Root tests (tagged `local`) make namespaces, mounts, cgroups and containers
// of their own. Run by any other user, each of their tests fails at once with
// a "needs root" message rather than on its first EPERM, and is never counted
// as passing; `bazel test --config=hermetic` leaves them out altogether.
#ifndef HULL_TESTING_NEEDS_ROOT_H_
#define HULL_TESTING_NEEDS_ROOT_H_

namespace hull::testing {

// When the process is not root, every test of the binary fails with the
// reason, and none of its body runs. Call it in main(), after InitGoogleTest;
// //testing:root_test_main is the main() of root tests that does.
void FailEveryTestUnlessRoot();

}  // namespace hull::testing

#endif  // HULL_TESTING_NEEDS_ROOT_H_
