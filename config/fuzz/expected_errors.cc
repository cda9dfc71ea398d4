#include "config/fuzz/expected_errors.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "testing/files.h"

namespace hull::fuzz {

absl::StatusOr<std::map<std::string, std::string>> ReadExpectedErrors(
    const std::string& path) {
  absl::StatusOr<std::string> text = testing::ReadFile(path);
  if (!text.ok()) return text.status();
  std::map<std::string, std::string> expected;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    ++line_number;
    if (line.front() == '#') continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    if (fields.size() != 2 || fields[0].empty() ||
        !expected.emplace(std::string(fields[0]), std::string(fields[1])).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": not a new \"<file>\\t<substring>\" line"));
    }
  }
  return expected;
}

}  // namespace hull::fuzz
