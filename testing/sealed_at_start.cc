// Linked into a test, seals the test binary at its start as `hull` seals
// itself for create, run and exec (runtime/spawn/sealed_reexec.h): it
// re-executes from a read-only detached mount of its binary (a sealed memfd
// copy without root) before its C++ initializers, and its container
// processes are then clones that run their steps with no re-execution.
// Every test fails when the program did not start sealed.
#include "gtest/gtest.h"
#include "runtime/spawn/sealed_reexec.h"

namespace hull::testing {
namespace {

__attribute__((section(".preinit_array"), used)) void (*const kSealAtStart)(int, char**, char**) =
    &runtime::ReexecSealedAtStart;

class SealedAtStart : public ::testing::Environment {
 public:
  void SetUp() override {
    ASSERT_TRUE(runtime::StartedSealed())
        << "the test binary did not re-execute itself from a sealed binary at its start";
  }
};

::testing::Environment* const kSealedAtStart =
    ::testing::AddGlobalTestEnvironment(new SealedAtStart);

}  // namespace
}  // namespace hull::testing
