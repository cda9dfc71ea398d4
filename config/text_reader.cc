#include "config/text_reader.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace hull::config {
namespace {

// The indentation of a line `depth` levels down.
bool ConsumeIndent(absl::string_view& line, int depth) {
  const size_t width = 2 * static_cast<size_t>(depth);
  if (line.size() < width || line.find_first_not_of(' ') < width) return false;
  line.remove_prefix(width);
  return true;
}

}  // namespace

TextReader::Line TextReader::NextLine() {
  if (rest_.empty()) return Line::kEnd;
  const size_t end = rest_.find('\n');
  if (end == absl::string_view::npos) return Line::kMalformed;
  absl::string_view line = rest_.substr(0, end);
  rest_.remove_prefix(end + 1);
  if (depth_ > 0) {
    absl::string_view close = line;
    if (ConsumeIndent(close, depth_ - 1) && close == "}") return Line::kClose;
  }
  if (!ConsumeIndent(line, depth_) || line.empty() || line[0] == ' ') return Line::kMalformed;
  opens_ = absl::ConsumeSuffix(&line, " {");
  if (opens_) {
    name_ = line;
    return Line::kOpen;
  }
  const size_t colon = line.find(": ");
  if (colon == absl::string_view::npos) return Line::kMalformed;
  name_ = line.substr(0, colon);
  value_ = line.substr(colon + 2);
  return Line::kField;
}

bool TextReader::ReadFields(absl::Span<const TextField> fields, void* message) {
  while (true) {
    switch (NextLine()) {
      case Line::kEnd:
        return depth_ == 0;
      case Line::kClose:
        return true;
      case Line::kMalformed:
        return false;
      case Line::kField:
      case Line::kOpen:
        break;
    }
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const TextField& field) { return field.name == name_; });
    if (field == fields.end() || !field->read(*this, message)) return false;
  }
}

bool TextReader::ReadMessage(absl::Span<const TextField> fields, void* message) {
  if (!in_document_) {
    in_document_ = true;
    return ReadFields(fields, message);
  }
  if (!opens_) return false;
  ++depth_;
  const bool read = ReadFields(fields, message);
  --depth_;
  return read;
}

bool TextReader::ReadMapEntry(absl::FunctionRef<bool(const std::string& key)> read_value) {
  if (!opens_) return false;
  ++depth_;
  std::string key;
  const bool read = NextLine() == Line::kField && name_ == "key" && ReadString(key) &&
                    NextLine() != Line::kMalformed && name_ == "value" && read_value(key) &&
                    NextLine() == Line::kClose;
  --depth_;
  return read;
}

bool TextReader::ReadString(std::string& value) {
  absl::string_view quoted = value_;
  return !opens_ && absl::ConsumePrefix(&quoted, "\"") && absl::ConsumeSuffix(&quoted, "\"") &&
         absl::CUnescape(quoted, &value);
}

bool TextReader::ReadBool(bool& value) {
  if (opens_ || (value_ != "true" && value_ != "false")) return false;
  value = value_ == "true";
  return true;
}

bool TextReader::ReadInteger(int32_t& value) { return !opens_ && absl::SimpleAtoi(value_, &value); }
bool TextReader::ReadInteger(int64_t& value) { return !opens_ && absl::SimpleAtoi(value_, &value); }
bool TextReader::ReadInteger(uint32_t& value) { return !opens_ && absl::SimpleAtoi(value_, &value); }
bool TextReader::ReadInteger(uint64_t& value) { return !opens_ && absl::SimpleAtoi(value_, &value); }

bool TextReader::ReadEnum(absl::Span<const absl::string_view> names, int32_t& number) {
  if (opens_) return false;
  const auto name = std::find(names.begin(), names.end(), value_);
  if (name != names.end()) {
    number = static_cast<int32_t>(name - names.begin());
    return true;
  }
  return absl::SimpleAtoi(value_, &number);
}

}  // namespace hull::config
