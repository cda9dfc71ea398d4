#include "config/json.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "config/json_checker.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "runtime/util/fd.h"
#include "runtime/util/status_macros.h"

namespace hull::config {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

// Fields the spec marks REQUIRED, written even when zero (as runc writes
// them), so that JSON-schema checkers accept Hull's output.
bool IsRequiredByTheSpec(const FieldDescriptor& field) {
  static const auto* const kRequired = new absl::flat_hash_set<std::string>{
      "hull.config.Box.height",
      "hull.config.Box.width",
      "hull.config.User.uid",
      "hull.config.User.gid",
      "hull.config.Rlimit.hard",
      "hull.config.Rlimit.soft",
      "hull.config.IoPriority.priority",
      "hull.config.IdMapping.container_id",
      "hull.config.IdMapping.host_id",
      "hull.config.IdMapping.size",
      "hull.config.DeviceCgroup.allow",
      "hull.config.WeightDevice.major",
      "hull.config.WeightDevice.minor",
      "hull.config.ThrottleDevice.major",
      "hull.config.ThrottleDevice.minor",
      "hull.config.ThrottleDevice.rate",
      "hull.config.HugepageLimit.limit",
      "hull.config.InterfacePriority.priority",
      "hull.config.SeccompArg.index",
      "hull.config.SeccompArg.value",
  };
  return kRequired->contains(field.full_name());
}

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

// Writes messages through reflection, in the layout of Go's
// json.MarshalIndent with a 2-space indent.
class JsonWriter {
 public:
  absl::Status WriteMessage(const Message& message, const std::string& path, int depth) {
    const Descriptor& descriptor = *message.GetDescriptor();
    const Reflection& reflection = *message.GetReflection();
    bool first = true;
    out_.push_back('{');
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor& field = *descriptor.field(i);
      const bool present = field.is_repeated()
                               ? reflection.FieldSize(message, &field) > 0
                               : reflection.HasField(message, &field) || IsRequiredByTheSpec(field);
      if (!present) continue;
      out_.append(first ? "\n" : ",\n");
      first = false;
      Indent(depth + 1);
      AppendJsonString(field.json_name(), &out_);
      out_.append(": ");
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
    if (!first) {
      out_.push_back('\n');
      Indent(depth);
    }
    out_.push_back('}');
    return absl::OkStatus();
  }

  std::string Release() { return std::move(out_); }

 private:
  void Indent(int depth) { out_.append(2 * depth, ' '); }

  absl::Status WriteList(const Message& message, const FieldDescriptor& field,
                         const std::string& path, int depth) {
    const int size = message.GetReflection()->FieldSize(message, &field);
    out_.push_back('[');
    for (int i = 0; i < size; ++i) {
      out_.append(i == 0 ? "\n" : ",\n");
      Indent(depth + 1);
      RETURN_IF_ERROR(WriteSingular(message, field, i, absl::StrCat(path, "[", i, "]"), depth + 1));
    }
    out_.push_back('\n');
    Indent(depth);
    out_.push_back(']');
    return absl::OkStatus();
  }

  // Maps are written with sorted keys, as Go writes them.
  absl::Status WriteMap(const Message& message, const FieldDescriptor& field,
                        const std::string& path, int depth) {
    const Reflection& reflection = *message.GetReflection();
    const FieldDescriptor& key_field = *field.message_type()->map_key();
    const FieldDescriptor& value_field = *field.message_type()->map_value();
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
      out_.append(i == 0 ? "\n" : ",\n");
      Indent(depth + 1);
      AppendJsonString(key, &out_);
      out_.append(": ");
      RETURN_IF_ERROR(WriteSingular(*entry, value_field, -1, entry_path, depth + 1));
    }
    out_.push_back('\n');
    Indent(depth);
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
      default:
        return absl::InternalError(
            absl::StrCat(path, ": field type ", field.cpp_type_name(), " has no JSON writer"));
    }
  }

  static absl::Status NotUtf8(const std::string& path) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": string is not valid UTF-8"));
  }

  std::string out_;
};

// Parses `json` into `message` (whose schema the text is checked against
// first); errors start with `source`.
absl::Status ParseJsonMessage(absl::string_view json, absl::string_view source,
                              google::protobuf::Message& message) {
  if (json.size() > kMaxConfigBytes) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: too large (%d bytes; the limit is %d)",
                                                      source, json.size(), kMaxConfigBytes));
  }
  if (json.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": empty file"));
  RETURN_IF_ERROR(CheckJsonAgainstSchema(json, *message.GetDescriptor(), source));

  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (!parsed.ok()) {
    // The checker should have caught it; protobuf's messages are one line
    // of text and sometimes an excerpt of the input below it.
    const std::string text(parsed.message());
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": invalid config: ", text.substr(0, text.find('\n'))));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Spec> ParseConfigJson(absl::string_view json, absl::string_view source) {
  Spec spec;
  RETURN_IF_ERROR(ParseJsonMessage(json, source, spec));
  return spec;
}

absl::StatusOr<Resources> ParseResourcesJson(absl::string_view json,
                                                  absl::string_view source) {
  Resources resources;
  RETURN_IF_ERROR(ParseJsonMessage(json, source, resources));
  return resources;
}

absl::StatusOr<Spec> LoadConfigFile(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return absl::InvalidArgumentError(absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  // Reads one byte past the limit, so that a larger file (or an endless one
  // such as a FIFO or /dev/zero) is detected without reading all of it.
  std::string text;
  char buffer[64 * 1024];
  while (text.size() <= kMaxConfigBytes) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return absl::InvalidArgumentError(absl::StrCat("read ", path, ": ", strerror(errno)));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  if (text.size() > kMaxConfigBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: too large (more than %d bytes)", path, kMaxConfigBytes));
  }
  return ParseConfigJson(text, path);
}

absl::StatusOr<std::string> ConfigToJson(const Spec& spec) {
  JsonWriter writer;
  RETURN_IF_ERROR(writer.WriteMessage(spec, /*path=*/"", /*depth=*/0));
  return writer.Release();
}

}  // namespace hull::config
