#include "testing/layering/layering.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace hull::testing {
namespace {

// The top-level directory of a workspace-relative path or package.
absl::string_view TopOf(absl::string_view path) {
  return path.substr(0, path.find('/'));
}

// Why `from` (a file or package of layer `from_layer`) may not use `to`'s
// top-level directory, or "" when it may.
std::string Refusal(absl::string_view from, absl::string_view to, bool from_test) {
  const absl::string_view from_top = TopOf(from);
  const absl::string_view to_top = TopOf(to);
  if (from_top == to_top) return "";
  const std::optional<int> from_layer = LayerOf(from_top);
  if (!from_layer.has_value()) return "";  // testing/, tools outside layers
  // The library layers: tools (a binary, a demo on the busybox rootfs)
  // may use the fixtures.
  if (to_top == "testing" && *from_layer < *LayerOf("tools")) {
    return from_test ? "" : "testing/ serves tests only";
  }
  const std::optional<int> to_layer = LayerOf(to_top);
  if (!to_layer.has_value()) return "";
  if (*to_layer > *from_layer) {
    return absl::StrCat(to_top, " is above ", from_top, " (layer ", *to_layer, " > ", *from_layer,
                        ")");
  }
  if (*to_layer == *from_layer) {
    return absl::StrCat(to_top, " and ", from_top, " are peers in layer ", *to_layer,
                        ": neither uses the other");
  }
  return "";
}

}  // namespace

std::optional<int> LayerOf(absl::string_view top) {
  static const auto* layers = new std::map<std::string, int, std::less<>>{
      {"base", 0},   {"config", 1},  {"statemachine", 2},
      {"nsenter", 2}, {"cgroups", 2}, {"runtime", 3},
      {"tools", 4},
  };
  auto it = layers->find(top);
  if (it == layers->end()) return std::nullopt;
  return it->second;
}

Violations CheckIncludes(absl::string_view path, absl::string_view contents) {
  // Whether a file that includes testing/ is a test's is the BUILD rule's
  // business (testonly, checked with the labels): a source alone cannot tell.
  Violations violations;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&rest, "#include \"")) continue;
    const absl::string_view included = rest.substr(0, rest.find('"'));
    if (!absl::StrContains(included, '/')) continue;
    const std::string why = Refusal(path, included, /*from_test=*/true);
    if (!why.empty()) {
      violations.push_back(absl::StrCat(path, ":", line_number, ": includes ", included, ": ", why));
    }
  }
  return violations;
}

namespace {

// One BUILD rule as far as the check needs it.
struct Rule {
  std::string kind;    // "cc_library", "cc_test", ...
  bool test = false;   // a *_test rule, or testonly
  std::vector<std::pair<std::string, int>> labels;  // "//package:target" less "//", line
};

// The rules of BUILD file `contents` and the labels of their dependencies:
// loads and visibility specs (":__pkg__", ":__subpackages__") are not
// dependencies.
std::vector<Rule> ParseRules(absl::string_view contents) {
  std::vector<Rule> rules;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '(' && line.find(' ') == absl::string_view::npos) {
      const absl::string_view kind = line.substr(0, line.size() - 1);
      rules.push_back({.kind = std::string(kind), .test = absl::EndsWith(kind, "_test")});
      continue;
    }
    if (rules.empty() || absl::StartsWith(line, "load(")) continue;
    if (absl::StrContains(line, "testonly = True")) rules.back().test = true;
    for (size_t at = line.find("\"//"); at != absl::string_view::npos;
         at = line.find("\"//", at + 1)) {
      absl::string_view label = line.substr(at + 3);
      label = label.substr(0, label.find('"'));
      if (absl::StartsWith(label, "visibility:") || absl::StartsWith(label, "conditions:") ||
          absl::EndsWith(label, ":__pkg__") || absl::EndsWith(label, ":__subpackages__")) {
        continue;
      }
      rules.back().labels.emplace_back(std::string(label), line_number);
    }
  }
  return rules;
}

// "runtime/spawn" for "runtime/spawn/BUILD", "" for the top "BUILD".
absl::string_view PackageOfBuildFile(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? "" : path.substr(0, slash);
}

// The package of a label without its leading "//": "runtime/spawn".
absl::string_view PackageOf(absl::string_view label) { return label.substr(0, label.find(':')); }

}  // namespace

Violations CheckBuildLabels(absl::string_view path, absl::string_view contents) {
  Violations violations;
  const absl::string_view package = PackageOfBuildFile(path);
  for (const Rule& rule : ParseRules(contents)) {
    for (const auto& [label, line_number] : rule.labels) {
      // Tests run the launcher they test.
      if (rule.test && label == "tools/launcher:hull") continue;
      const std::string why = Refusal(package, PackageOf(label), rule.test);
      if (!why.empty()) {
        violations.push_back(
            absl::StrCat(path, ":", line_number, ": ", rule.kind, " uses //", label, ": ", why));
      }
    }
  }
  return violations;
}

std::vector<std::pair<std::string, std::string>> PackageEdges(absl::string_view path,
                                                              absl::string_view contents) {
  std::vector<std::pair<std::string, std::string>> edges;
  const std::string package(PackageOfBuildFile(path));
  for (const Rule& rule : ParseRules(contents)) {
    if (rule.test) continue;
    for (const auto& [label, line_number] : rule.labels) {
      const absl::string_view target = PackageOf(label);
      if (target != package) edges.emplace_back(package, std::string(target));
    }
  }
  return edges;
}

Violations FindPackageCycles(const std::vector<std::pair<std::string, std::string>>& edges) {
  std::map<std::string, std::set<std::string>> graph;
  for (const auto& [from, to] : edges) graph[from].insert(to);
  Violations cycles;
  std::map<std::string, int> state;  // 1: on the path, 2: done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& node) {
    state[node] = 1;
    path.push_back(node);
    for (const std::string& next : graph[node]) {
      if (state[next] == 1) {
        std::vector<std::string> cycle(std::find(path.begin(), path.end(), next), path.end());
        cycle.push_back(next);
        cycles.push_back(absl::StrCat("package cycle: ", absl::StrJoin(cycle, " -> ")));
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[node] = 2;
  };
  for (const auto& [node, unused] : graph) {
    if (state[node] == 0) visit(node);
  }
  return cycles;
}

}  // namespace hull::testing
