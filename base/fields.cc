#include "base/fields.h"

#include "absl/strings/ascii.h"

namespace hull {

std::vector<absl::string_view> SplitFields(absl::string_view text) {
  std::vector<absl::string_view> fields;
  size_t start = 0;
  while (true) {
    while (start < text.size() && absl::ascii_isspace(text[start])) ++start;
    if (start == text.size()) return fields;
    size_t end = start + 1;
    while (end < text.size() && !absl::ascii_isspace(text[end])) ++end;
    fields.push_back(text.substr(start, end - start));
    start = end;
  }
}

}  // namespace hull
