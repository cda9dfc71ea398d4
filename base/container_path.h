// Lexical handling of paths as the container sees them: always absolute,
// "." and ".." resolved by text (".." stops at "/", as it does inside a
// root), no symlinks followed.
#ifndef HULL_BASE_CONTAINER_PATH_H_
#define HULL_BASE_CONTAINER_PATH_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace hull {

// "/a//b/./c/../d/" -> "/a/b/d"; a relative path is taken from "/".
std::string CleanContainerPath(absl::string_view path);

// `path` cleaned by the same rules but kept relative, without a leading "/":
// "a//b/./c/../d/" -> "a/b/d", "" for no component; nullopt when a ".."
// would climb above where the path starts (a cgroupsPath below its start).
std::optional<std::string> CleanRelativePath(absl::string_view path);

// Whether `path` (clean) is `dir` (clean) or below it.
bool IsAtOrBelow(absl::string_view path, absl::string_view dir);

// Splits a clean path into its parent and last component:
// "/dev/pts" -> {"/dev", "pts"}; "/" -> {"/", ""}.
std::pair<std::string, std::string> SplitLast(absl::string_view path);

}  // namespace hull

#endif  // HULL_BASE_CONTAINER_PATH_H_
