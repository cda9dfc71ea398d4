// Writes protobuf text format exactly as google::protobuf::TextFormat prints
// it, for code that knows its message's fields (the generated codec of the
// runtime spec) and so needs no descriptors: building them is most of a
// short command's CPU time.
#ifndef HULL_CONFIG_CODEC_TEXT_WRITER_H_
#define HULL_CONFIG_CODEC_TEXT_WRITER_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hull::config {

class TextWriter {
 public:
  // `text` is appended to.
  explicit TextWriter(std::string& text) : text_(text) {}

  // `name: "value"`, escaped as TextFormat does (absl::CEscape: \n \r \t
  // \" \' \\, and \ooo for other bytes that are not printable ASCII).
  void String(absl::string_view name, absl::string_view value);
  void Integer(absl::string_view name, int64_t value);
  void Integer(absl::string_view name, uint64_t value);
  void Bool(absl::string_view name, bool value);
  // `name: VALUE_NAME`, an enum value by its name.
  void Enum(absl::string_view name, absl::string_view value_name);
  // `name {`, then the fields written until Close, indented; `}`.
  void Open(absl::string_view name);
  void Close();

 private:
  void Indent();

  std::string& text_;
  int depth_ = 0;
};

// The entries of a protobuf map in the order TextFormat prints them: by key.
template <typename Map>
std::vector<const typename Map::value_type*> SortedByKey(const Map& map) {
  std::vector<const typename Map::value_type*> entries;
  entries.reserve(map.size());
  for (const typename Map::value_type& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return entries;
}

}  // namespace hull::config

#endif  // HULL_CONFIG_CODEC_TEXT_WRITER_H_
