#include "config/validator_test_cases.h"

#include <ostream>
#include <string>
#include <vector>

#include "config/default_spec.h"
#include "gtest/gtest.h"

namespace hull::config {

void PrintTo(const Violation& violation, std::ostream* os) { *os << ToString(violation); }

namespace validator_test {

void ExpectEachCase(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    Spec spec = DefaultSpec(c.rootless);
    c.change(spec);
    EXPECT_EQ(FindViolations(spec, c.host), c.expected);
  }
}

void RemoveNamespace(Spec& spec, const std::string& type) {
  auto& namespaces = *spec.mutable_linux()->mutable_namespaces();
  for (int i = 0; i < namespaces.size(); ++i) {
    if (namespaces[i].type() == type) {
      namespaces.DeleteSubrange(i, 1);
      return;
    }
  }
}

void AddNamespace(Spec& spec, const std::string& type) {
  spec.mutable_linux()->add_namespaces()->set_type(type);
}

}  // namespace validator_test
}  // namespace hull::config
