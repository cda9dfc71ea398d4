// Writing a protobuf message as the JSON that Go's encoding/json writes for
// the struct it mirrors (config.json for runtime-spec's structs, `events`
// lines for runc's): numbers as JSON numbers, Go's omitempty rules.
#ifndef HULL_CONFIG_JSON_WRITER_H_
#define HULL_CONFIG_JSON_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace hull::config {

struct JsonWriterOptions {
  // One line without spaces (Go's json.Marshal); otherwise Go's
  // json.MarshalIndent with a 2-space indent.
  bool compact = false;
  // Whether `field` is written even when it holds its zero value: a Go field
  // without `json:",omitempty"`, or a struct (not pointer) field. Null: none.
  bool (*always_written)(const google::protobuf::FieldDescriptor& field) = nullptr;
};

// Writes `message` with each field's json_name as its key, fields in schema
// order, map keys sorted, 64-bit integers as JSON numbers, doubles in Go's
// shortest form; no trailing newline.
//
// A field is written when set: a non-zero scalar (or, with explicit
// presence, any set one), a set message, a non-empty list or map. A field
// that `options.always_written` names is written in any case: a zero scalar
// as 0, "" or false, an unset message as its default value (so with its own
// always-written fields), an empty list as null and an empty map as {} (Go's
// nil slice and made map: what runc prints for `network_interfaces` and
// `hugetlb` in `events`).
//
// InvalidArgument if a string is not valid UTF-8 or a double is not finite;
// InternalError for field types that have no JSON form here (enums, floats,
// maps with non-string keys). Messages name the field's JSON path.
// Appends `text` as a JSON string: quoted, with \" \\ \n \r \t and \u00XX for the
// other control characters (logrus's text log format reads the same).
void AppendJsonString(absl::string_view text, std::string* out);

absl::StatusOr<std::string> MessageToJson(const google::protobuf::Message& message,
                                          const JsonWriterOptions& options);

}  // namespace hull::config

#endif  // HULL_CONFIG_JSON_WRITER_H_
