#include "base/container_path.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"

namespace hull {

namespace {

// Appends `path`'s components to `clean` (a start: "/" or ""), resolving
// them by text: "" and "." are dropped, ".." drops the last one appended.
// False when a ".." finds none to drop (it is then ignored).
bool AppendCleanComponents(absl::string_view path, std::string& clean) {
  const size_t start = clean.size();
  bool stayed_below = true;
  while (!path.empty()) {
    const size_t slash = std::min(path.find('/'), path.size());
    const absl::string_view part = path.substr(0, slash);
    path.remove_prefix(std::min(slash + 1, path.size()));
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (clean.size() == start) {
        stayed_below = false;
        continue;
      }
      const size_t last = clean.rfind('/');
      clean.resize(last == std::string::npos || last < start ? start : last);
      continue;
    }
    if (clean.size() > start) clean += '/';
    clean.append(part.data(), part.size());
  }
  return stayed_below;
}

}  // namespace

std::string CleanContainerPath(absl::string_view path) {
  std::string clean = "/";
  clean.reserve(path.size() + 1);
  AppendCleanComponents(path, clean);  // ".." stops at "/"
  return clean;
}

std::optional<std::string> CleanRelativePath(absl::string_view path) {
  std::string clean;
  if (!AppendCleanComponents(path, clean)) return std::nullopt;
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
