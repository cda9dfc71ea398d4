#include "config/text_writer.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hull::config {

void TextWriter::Indent() { text_.append(2 * static_cast<size_t>(depth_), ' '); }

void TextWriter::String(absl::string_view name, absl::string_view value) {
  Indent();
  absl::StrAppend(&text_, name, ": \"", absl::CEscape(value), "\"\n");
}

void TextWriter::Integer(absl::string_view name, int64_t value) {
  Indent();
  absl::StrAppend(&text_, name, ": ", value, "\n");
}

void TextWriter::Integer(absl::string_view name, uint64_t value) {
  Indent();
  absl::StrAppend(&text_, name, ": ", value, "\n");
}

void TextWriter::Bool(absl::string_view name, bool value) {
  Indent();
  absl::StrAppend(&text_, name, value ? ": true\n" : ": false\n");
}

void TextWriter::Enum(absl::string_view name, absl::string_view value_name) {
  Indent();
  absl::StrAppend(&text_, name, ": ", value_name, "\n");
}

void TextWriter::Open(absl::string_view name) {
  Indent();
  absl::StrAppend(&text_, name, " {\n");
  ++depth_;
}

void TextWriter::Close() {
  --depth_;
  Indent();
  text_ += "}\n";
}

}  // namespace hull::config
