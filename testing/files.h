// Files in tests: whole-file reads and writes, and fresh temporary
// directories.
#ifndef HULL_TESTING_FILES_H_
#define HULL_TESTING_FILES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::testing {

// The whole file at `path`; an error naming it when it cannot be opened.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `contents` to `path` (created or truncated).
absl::Status WriteFile(const std::string& path, absl::string_view contents);

// Whether something (a file, a directory, a dangling symlink) is at `path`.
bool Exists(const std::string& path);

// The names in the directory `path` ("." and ".." left out), sorted; none
// when it cannot be read.
std::vector<std::string> DirectoryEntries(const std::string& path);

// Removes `path` and everything below it, staying on its filesystem: never
// below a mount point (mounts a test leaked are left alone, not emptied).
// Best effort: what cannot be removed stays.
void RemoveTree(const std::string& path);

// A new empty directory under `parent` (default: TEST_TMPDIR), without
// symlinks in its path.
absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix, std::string parent = "");

}  // namespace hull::testing

#endif  // HULL_TESTING_FILES_H_
