// The validator as a whole: valid configs, and every violation reported at
// once in the order of the rules. Each section's rules have their own file
// (validator_<section>_test.cc).

#include "config/validator.h"

#include "config/default_spec.h"
#include "config/validator_test_cases.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(FindViolationsTest, DefaultSpecsAreValid) {
  EXPECT_THAT(FindViolations(DefaultSpec(false)), IsEmpty());
  EXPECT_THAT(FindViolations(DefaultSpec(true)), IsEmpty());
}

TEST(FindViolationsTest, ReportsEveryViolationAtOnce) {
  Spec spec = DefaultSpec(false);
  spec.clear_oci_version();
  spec.mutable_process()->set_cwd("relative");
  spec.mutable_linux()->mutable_namespaces(2)->set_type("foo");
  spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus("3-1");
  EXPECT_THAT(FindViolations(spec),
              ElementsAre(Violation{"ociVersion", "required"},
                          Violation{"process.cwd", "must be an absolute path, got \"relative\""},
                          Violation{"linux.namespaces[2].type", "unknown namespace type \"foo\""},
                          Violation{"linux.resources.cpu.cpus",
                                    "\"3-1\" is not a CPU list such as \"0-3,5\""}));
  EXPECT_THAT(ValidateSpec(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "ociVersion: required\n"
                       "process.cwd: must be an absolute path, got \"relative\"\n"
                       "linux.namespaces[2].type: unknown namespace type \"foo\"\n"
                       "linux.resources.cpu.cpus: \"3-1\" is not a CPU list such as \"0-3,5\""));
}

TEST(ValidateSpecTest, OkForAValidSpec) { EXPECT_THAT(ValidateSpec(DefaultSpec(false)), IsOk()); }

}  // namespace
}  // namespace hull::config
