// The validator's rules of the top-level fields: ociVersion, root, hostname and
// domainname, mounts, hooks.

#include "config/validator.h"

#include "config/default_spec.h"
#include "config/validator_test_cases.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::ExpectEachCase;
using ::hull::config::validator_test::RemoveNamespace;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(TopLevelRulesTest, EachRuleReportsPathAndMessage) {
  ExpectEachCase({
      {"ociVersion required",
       false,
       [](Spec& s) { s.clear_oci_version(); },
       {{"ociVersion", "required"}}},
      {"ociVersion is SemVer",
       false,
       [](Spec& s) { s.set_oci_version("1.2"); },
       {{"ociVersion", "\"1.2\" is not a SemVer 2.0.0 version"}}},
      {"root.path required", false, [](Spec& s) { s.clear_root(); }, {{"root.path", "required"}}},
      {"hostname needs uts",
       false,
       [](Spec& s) { RemoveNamespace(s, "uts"); },
       {{"hostname", "setting it needs a uts namespace"}}},
      {"domainname needs uts",
       false,
       [](Spec& s) {
         s.clear_hostname();
         s.set_domainname("example.com");
         RemoveNamespace(s, "uts");
       },
       {{"domainname", "setting it needs a uts namespace"}}},
      {"mount destination absolute",
       false,
       [](Spec& s) { s.mutable_mounts(0)->set_destination("proc"); },
       {{"mounts[0].destination", "must be an absolute path, got \"proc\""}}},
      {"id-mapped mount needs both maps",
       false,
       [](Spec& s) {
         IdMapping& mapping = *s.mutable_mounts(1)->add_uid_mappings();
         mapping.set_host_id(1000);
       },
       {{"mounts[1]", "an id-mapped mount needs both uidMappings and gidMappings"},
        {"mounts[1].uidMappings[0].size", "must be greater than 0"}}},
      {"hook path absolute, timeout positive",
       false,
       [](Spec& s) {
         s.mutable_hooks()->add_create_runtime()->set_path("/bin/ok");
         Hook& hook = *s.mutable_hooks()->add_create_runtime();
         hook.set_path("hook.sh");
         hook.set_timeout(0);
         s.mutable_hooks()->add_poststop();
       },
       {{"hooks.createRuntime[1].path", "must be an absolute path, got \"hook.sh\""},
        {"hooks.createRuntime[1].timeout", "must be greater than zero, got 0"},
        {"hooks.poststop[0].path", "required"}}},
  });
}

TEST(TopLevelRulesTest, AcceptsTheVersionsRuncWrites) {
  Spec spec = DefaultSpec(false);
  for (const char* version : {"1.0.2-dev", "1.2.0", "1.0.0-rc.1+build.5"}) {
    spec.set_oci_version(version);
    EXPECT_THAT(FindViolations(spec), IsEmpty()) << version;
  }
}

// SemVer 2.0.0's grammar: three decimal core numbers without leading zeros,
// dot-separated non-empty identifiers after '-' (numeric ones without leading
// zeros) and after '+' (leading zeros allowed).
TEST(TopLevelRulesTest, OciVersionIsSemVer) {
  Spec spec = DefaultSpec(false);
  for (const char* version : {"0.0.0", "1.2.0-0", "1.2.0-alpha-1.x", "1.2.0+001.sha-5"}) {
    spec.set_oci_version(version);
    EXPECT_THAT(FindViolations(spec), IsEmpty()) << version;
  }
  for (const char* version : {"1", "1.2.0.1", "01.2.0", "1.02.0", "1..0", "v1.2.0", "1.2.x",
                              "1.2.0-", "1.2.0-01", "1.2.0-a..b", "1.2.0+", "1.2.0+a..b",
                              "1.2.0-a_b", "-1.2.0", "1.2.0 "}) {
    spec.set_oci_version(version);
    EXPECT_THAT(FindViolations(spec), Not(IsEmpty())) << version;
  }
}

}  // namespace
}  // namespace hull::config
