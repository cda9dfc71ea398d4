#include "base/container_path.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"

namespace hull {

std::string CleanContainerPath(absl::string_view path) {
  // Built in place, component by component: "/" then "/a", "/a/b", ...
  std::string clean = "/";
  clean.reserve(path.size() + 1);
  while (!path.empty()) {
    const size_t slash = std::min(path.find('/'), path.size());
    const absl::string_view part = path.substr(0, slash);
    path.remove_prefix(std::min(slash + 1, path.size()));
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      clean.resize(std::max<size_t>(clean.rfind('/'), 1));
      continue;
    }
    if (clean.size() > 1) clean += '/';
    clean.append(part.data(), part.size());
  }
  return clean;
}

bool IsAtOrBelow(absl::string_view path, absl::string_view dir) {
  if (dir == "/") return true;
  if (!absl::StartsWith(path, dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

std::pair<std::string, std::string> SplitLast(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return {"/", std::string(path)};
  // Built in one step: assigning "/" afterwards trips GCC 12.2's false -Wrestrict at -O2.
  std::string parent = slash == 0 ? std::string("/") : std::string(path.substr(0, slash));
  return {std::move(parent), std::string(path.substr(slash + 1))};
}

}  // namespace hull
