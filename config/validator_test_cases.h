// What the validator's tests share: a broken rule as a change to a valid
// config and the violations it causes, and the edits the changes use.
#ifndef HULL_CONFIG_VALIDATOR_TEST_CASES_H_
#define HULL_CONFIG_VALIDATOR_TEST_CASES_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "config/runtime_spec.pb.h"
#include "config/validator.h"

namespace hull::config {

// How gtest prints a violation.
void PrintTo(const Violation& violation, std::ostream* os);

namespace validator_test {

// One broken rule: a change to a valid config and the violations it causes.
struct Case {
  const char* rule;
  bool rootless;  // which DefaultSpec to start from
  std::function<void(Spec&)> change;
  std::vector<Violation> expected;
  // The host the config is checked for: by default one with every security
  // module, so that only the cases about a missing one depend on it.
  HostSupport host{.apparmor = true, .selinux = true};
};

// Applies each case's change to its DefaultSpec and expects exactly its
// violations, in order.
void ExpectEachCase(const std::vector<Case>& cases);

void RemoveNamespace(Spec& spec, const std::string& type);
void AddNamespace(Spec& spec, const std::string& type);

}  // namespace validator_test
}  // namespace hull::config

#endif  // HULL_CONFIG_VALIDATOR_TEST_CASES_H_
