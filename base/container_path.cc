#include "base/container_path.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace hull {

std::string CleanContainerPath(absl::string_view path) {
  std::vector<absl::string_view> parts;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
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
