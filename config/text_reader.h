// Reads protobuf text format in the one form google::protobuf::TextFormat
// prints it (and TextWriter writes it), for the generated codec of the
// runtime spec: a container's config file is read back without descriptors.
// Any other text, even one TextFormat would read, is refused, and the caller
// reads it with TextFormat, whose errors name the line and the field.
#ifndef HULL_CONFIG_TEXT_READER_H_
#define HULL_CONFIG_TEXT_READER_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "config/text_writer.h"

namespace hull::config {

class TextReader;

// One field of a message as text format names it, and how the field's line
// (the reader's current one) is read into a message of the type `message`
// points to.
struct TextField {
  absl::string_view name;
  bool (*read)(TextReader& reader, void* message);
};

// A cursor over the lines of the text: `name: value`, `name {` or `}`,
// indented two spaces a level.
class TextReader {
 public:
  explicit TextReader(absl::string_view text) : rest_(text) {}

  // The first call reads the whole text as the message's fields; later
  // ones (from the fields' `read`) the message the current line opens, up
  // to its closing line.
  bool ReadMessage(absl::Span<const TextField> fields, void* message);

  // A map entry the current line opens: its `key` line, then its `value`
  // line (current while `read_value` reads it), then the closing line.
  bool ReadMapEntry(absl::FunctionRef<bool(const std::string& key)> read_value);

  // The current line's value.
  bool ReadString(std::string& value);
  bool ReadBool(bool& value);
  bool ReadInteger(int32_t& value);
  bool ReadInteger(int64_t& value);
  bool ReadInteger(uint32_t& value);
  bool ReadInteger(uint64_t& value);
  // An enum value as TextFormat prints it: its name, `names[number]`, or
  // its number when it has no name there.
  bool ReadEnum(absl::Span<const absl::string_view> names, int32_t& number);

 private:
  enum class Line { kEnd, kClose, kField, kOpen, kMalformed };
  // Consumes the next line at the current depth.
  Line NextLine();
  bool ReadFields(absl::Span<const TextField> fields, void* message);

  absl::string_view rest_;
  int depth_ = 0;
  bool in_document_ = false;
  // The current line: its field name, and its value unless it opens one.
  absl::string_view name_;
  absl::string_view value_;
  bool opens_ = false;
};

// Reads `text` into `message` when it is exactly what WriteText writes for
// it; false for any other text (the message is then in no useful state).
// ReadText and WriteText are the generated codec's (runtime_spec_codec.h).
template <typename Message>
bool ReadCanonicalText(absl::string_view text, Message& message) {
  message.Clear();
  TextReader reader(text);
  if (!ReadText(reader, message)) return false;
  // Read leniently (any field order, a field twice): what was read is what
  // the text says only if it writes back the same bytes.
  std::string written;
  TextWriter writer(written);
  WriteText(message, writer);
  return written == text;
}

}  // namespace hull::config

#endif  // HULL_CONFIG_TEXT_READER_H_
