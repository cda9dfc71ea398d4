// Hull's layers, bottom up, and the check that no dependency points up:
//
//   base  ->  config  ->  statemachine | nsenter | cgroups  ->  runtime  ->  tools
//
// A package may use its own layer's package and those below; the three of
// the middle layer use none of each other. testing/ serves every layer's
// tests and is used by tests only. The edges checked are the `#include`s of
// every source file and the labels of every BUILD rule (test rules may also
// name //testing and //tools/launcher:hull, which tests run).
#ifndef HULL_TESTING_LAYERING_LAYERING_H_
#define HULL_TESTING_LAYERING_LAYERING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hull::testing {

// The layer of top-level directory `top` (0 for base, ... 4 for tools), or
// nullopt for one outside the layers (testing, docs, ...).
std::optional<int> LayerOf(absl::string_view top);

// "file:line: what", one a violation.
using Violations = std::vector<std::string>;

// The includes of source file `path` (relative to the workspace) that point
// up or sideways.
Violations CheckIncludes(absl::string_view path, absl::string_view contents);

// The labels of BUILD file `path` (relative) that point up or sideways.
Violations CheckBuildLabels(absl::string_view path, absl::string_view contents);

// The package cycles among `edges` (package -> package it depends on), each
// as "a -> b -> a".
Violations FindPackageCycles(const std::vector<std::pair<std::string, std::string>>& edges);

// The package -> package edges of the non-test rules of BUILD file `path`.
std::vector<std::pair<std::string, std::string>> PackageEdges(absl::string_view path,
                                                              absl::string_view contents);

}  // namespace hull::testing

#endif  // HULL_TESTING_LAYERING_LAYERING_H_
