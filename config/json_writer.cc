#include "config/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "config/json_reader.h"
#include "base/status_macros.h"

namespace hull::config {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

// Appends `value` as Go's encoding/json writes a float64: the shortest text
// that reads back as the same double, in positional notation unless the
// magnitude is below 1e-6 or from 1e21 on ("1e-7", "1e+21").
void AppendJsonDouble(double value, std::string* out) {
  const double magnitude = std::fabs(value);
  const bool exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21);
  char buffer[32];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value,
                    exponent ? std::chars_format::scientific : std::chars_format::fixed);
  std::string text(buffer, result.ptr);
  // to_chars writes at least two exponent digits; Go drops a leading zero.
  const size_t n = text.size();
  if (exponent && n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') {
    text.erase(n - 2, 1);
  }
  out->append(text);
}

// Writes messages through reflection, in the layout of Go's json.Marshal
// (compact) or json.MarshalIndent with a 2-space indent.
class JsonWriter {
 public:
  explicit JsonWriter(const JsonWriterOptions& options) : options_(options) {}

  absl::Status WriteMessage(const Message& message, const std::string& path, int depth) {
    const Descriptor& descriptor = *message.GetDescriptor();
    const Reflection& reflection = *message.GetReflection();
    bool first = true;
    out_.push_back('{');
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor& field = *descriptor.field(i);
      const bool set = field.is_repeated() ? reflection.FieldSize(message, &field) > 0
                                           : reflection.HasField(message, &field);
      if (!set && !IsAlwaysWritten(field)) continue;
      BeginElement(first, depth + 1);
      first = false;
      AppendJsonString(field.json_name(), &out_);
      out_.append(options_.compact ? ":" : ": ");
      const std::string field_path =
          path.empty() ? field.json_name() : absl::StrCat(path, ".", field.json_name());
      if (field.is_map()) {
        RETURN_IF_ERROR(WriteMap(message, field, field_path, depth + 1));
      } else if (field.is_repeated()) {
        RETURN_IF_ERROR(WriteList(message, field, field_path, depth + 1));
      } else {
        RETURN_IF_ERROR(WriteSingular(message, field, /*index=*/-1, field_path, depth + 1));
      }
    }
    EndContainer(/*empty=*/first, depth);
    out_.push_back('}');
    return absl::OkStatus();
  }

  std::string Release() { return std::move(out_); }

 private:
  bool IsAlwaysWritten(const FieldDescriptor& field) const {
    return options_.always_written != nullptr && options_.always_written(field);
  }

  // Starts an element of an object or array at `depth`: the comma after the
  // previous one and, when indenting, the new line.
  void BeginElement(bool first, int depth) {
    if (!first) out_.push_back(',');
    if (options_.compact) return;
    out_.push_back('\n');
    out_.append(2 * depth, ' ');
  }

  // Before the closing bracket of a container at `depth`.
  void EndContainer(bool empty, int depth) {
    if (options_.compact || empty) return;
    out_.push_back('\n');
    out_.append(2 * depth, ' ');
  }

  // An empty list is only written when always written: as Go's nil slice.
  absl::Status WriteList(const Message& message, const FieldDescriptor& field,
                         const std::string& path, int depth) {
    const int size = message.GetReflection()->FieldSize(message, &field);
    if (size == 0) {
      out_.append("null");
      return absl::OkStatus();
    }
    out_.push_back('[');
    for (int i = 0; i < size; ++i) {
      BeginElement(/*first=*/i == 0, depth + 1);
      RETURN_IF_ERROR(WriteSingular(message, field, i, absl::StrCat(path, "[", i, "]"), depth + 1));
    }
    EndContainer(/*empty=*/false, depth);
    out_.push_back(']');
    return absl::OkStatus();
  }

  // Maps are written with sorted keys, as Go writes them.
  absl::Status WriteMap(const Message& message, const FieldDescriptor& field,
                        const std::string& path, int depth) {
    const Reflection& reflection = *message.GetReflection();
    const FieldDescriptor& key_field = *field.message_type()->map_key();
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    if (key_field.cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      return absl::InternalError(
          absl::StrCat(path, ": map key type ", key_field.cpp_type_name(), " has no JSON writer"));
    }
    std::vector<std::pair<std::string, const Message*>> entries;
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      const Message& entry = reflection.GetRepeatedMessage(message, &field, i);
      entries.emplace_back(entry.GetReflection()->GetString(entry, &key_field), &entry);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_.push_back('{');
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto& [key, entry] = entries[i];
      const std::string entry_path = absl::StrFormat("%s[\"%s\"]", path, absl::CEscape(key));
      if (!IsValidUtf8(key)) return NotUtf8(entry_path);
      BeginElement(/*first=*/i == 0, depth + 1);
      AppendJsonString(key, &out_);
      out_.append(options_.compact ? ":" : ": ");
      RETURN_IF_ERROR(WriteSingular(*entry, value_field, -1, entry_path, depth + 1));
    }
    EndContainer(/*empty=*/entries.empty(), depth);
    out_.push_back('}');
    return absl::OkStatus();
  }

  // The field's value (index < 0) or its element `index`.
  absl::Status WriteSingular(const Message& message, const FieldDescriptor& field, int index,
                             const std::string& path, int depth) {
    const Reflection& r = *message.GetReflection();
    const bool element = index >= 0;
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return WriteMessage(
            element ? r.GetRepeatedMessage(message, &field, index) : r.GetMessage(message, &field),
            path, depth);
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string value =
            element ? r.GetRepeatedString(message, &field, index) : r.GetString(message, &field);
        if (!IsValidUtf8(value)) return NotUtf8(path);
        AppendJsonString(value, &out_);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        out_.append(
            (element ? r.GetRepeatedBool(message, &field, index) : r.GetBool(message, &field))
                ? "true"
                : "false");
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(&out_, element ? r.GetRepeatedInt32(message, &field, index)
                                       : r.GetInt32(message, &field));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(&out_, element ? r.GetRepeatedInt64(message, &field, index)
                                       : r.GetInt64(message, &field));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(&out_, element ? r.GetRepeatedUInt32(message, &field, index)
                                       : r.GetUInt32(message, &field));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(&out_, element ? r.GetRepeatedUInt64(message, &field, index)
                                       : r.GetUInt64(message, &field));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        const double value =
            element ? r.GetRepeatedDouble(message, &field, index) : r.GetDouble(message, &field);
        // Go's encoder refuses them too: JSON has no NaN or infinity.
        if (!std::isfinite(value)) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, ": ", value, " is not a JSON number"));
        }
        AppendJsonDouble(value, &out_);
        return absl::OkStatus();
      }
      default:
        return absl::InternalError(
            absl::StrCat(path, ": field type ", field.cpp_type_name(), " has no JSON writer"));
    }
  }

  static absl::Status NotUtf8(const std::string& path) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": string is not valid UTF-8"));
  }

  const JsonWriterOptions& options_;
  std::string out_;
};

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

absl::StatusOr<std::string> MessageToJson(const Message& message,
                                          const JsonWriterOptions& options) {
  JsonWriter writer(options);
  RETURN_IF_ERROR(writer.WriteMessage(message, /*path=*/"", /*depth=*/0));
  return writer.Release();
}

}  // namespace hull::config
