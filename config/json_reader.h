// Strict reading of config.json (and of `update -r`'s resources) into its
// message.
//
// The OCI spec (and runc's Go decoder) is strict where protobuf's JSON parser
// is not: that parser accepts "12" for an integer, "sh" for a list, flattens
// nested lists, silently keeps the last of two duplicate keys, and its errors
// name proto fields rather than the spec's JSON names. JsonReader walks the
// text once and reports the first problem as
// "<source>:<line>:<column>: <json path>: <what is wrong>".
//
// It knows JSON, not protobuf: code generated from the schema
// (config/runtime_spec_codec.h) says which keys an object has and
// fills the message through its generated accessors. Reflection would build
// the schema's descriptors first, most of a short command's CPU time.
#ifndef HULL_CONFIG_JSON_READER_H_
#define HULL_CONFIG_JSON_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hull::config {

// Objects and arrays nested deeper than this are refused (stack safety).
inline constexpr int kMaxJsonNestingDepth = 100;

class JsonReader;

// One field of a message: its two names (protobuf's JSON parser takes both,
// so Hull does too) and how its value is read into a message of the type
// `message` points to, with the reader's cursor on the (non-null) value.
struct JsonField {
  absl::string_view json_name;
  absl::string_view name;
  absl::Status (*read)(JsonReader& reader, int depth, void* message);
};

// Reads one JSON document. The text must be a single JSON object (RFC 8259)
// that fits the message's schema:
//  - valid UTF-8, no NUL characters, no unpaired surrogate escapes;
//  - no duplicate keys in any object (also across a field's two names,
//    "hostID" and "host_id");
//  - nesting at most kMaxJsonNestingDepth;
//  - every known field holds the JSON kind its type needs: integers written
//    as integers and within the field's range, booleans as true/false,
//    lists as arrays (without null elements), maps and messages as objects;
//    null means "unset" and is accepted for any field (a map's null value is
//    the value type's default);
//  - unknown fields are skipped (the spec requires ignoring them), but must
//    still be well-formed and their numbers finite as doubles.
// Errors are InvalidArgument naming the source, the position and the JSON
// path; the message then holds what was read before the problem.
class JsonReader {
 public:
  JsonReader(absl::string_view json, absl::string_view source) : json_(json), source_(source) {}

  // The document, whose top-level object `read_object` reads with the
  // cursor on its '{' (through ReadMessage, at depth 0).
  absl::Status ReadDocument(absl::FunctionRef<absl::Status()> read_object);

  // A message's object, its keys looked up in `fields`, unknown ones
  // skipped; `message` is what the fields' `read` functions fill.
  absl::Status ReadMessage(absl::Span<const JsonField> fields, int depth, void* message);

  // A list: an array whose elements (null refused) `read_element` reads
  // with the cursor on each, at the depth it is given.
  absl::Status ReadList(int depth, absl::FunctionRef<absl::Status(int depth)> read_element);

  // A map with string keys: an object, one `read_entry` call per key; the
  // cursor is on the value when `has_value`, and past a null one otherwise.
  absl::Status ReadMap(
      int depth,
      absl::FunctionRef<absl::Status(const std::string& key, bool has_value, int depth)> read_entry);

  absl::Status ReadString(std::string& value);
  absl::Status ReadBool(bool& value);
  absl::Status ReadInteger(int32_t& value);
  absl::Status ReadInteger(int64_t& value);
  absl::Status ReadInteger(uint32_t& value);
  absl::Status ReadInteger(uint64_t& value);

 private:
  absl::Status Error(absl::string_view what) const;
  absl::Status SyntaxError(absl::string_view what) const;
  absl::Status UnexpectedCharacter(absl::string_view expected) const;
  absl::Status WrongKind(absl::string_view expected) const;
  std::string Path() const;

  bool AtEnd() const { return pos_ >= json_.size(); }
  char Peek() const { return json_[pos_]; }
  void SkipWhitespace();
  bool Consume(char c);
  absl::Status Expect(char c, absl::string_view expected);
  absl::Status ReadHex4(char32_t* value);
  absl::Status ReadEscape(std::string* out);
  absl::Status ReadStringToken(std::string* out);
  absl::Status ReadNumber(absl::string_view* literal);
  absl::Status ReadLiteral(absl::string_view word);
  absl::Status SkipValue(int depth);
  absl::Status ReadObject(int depth, absl::FunctionRef<absl::Status(const std::string& key)> member);
  absl::Status ReadArray(int depth, absl::FunctionRef<absl::Status()> element);
  template <typename Int>
  absl::Status ReadIntegerOf(absl::string_view type_name, Int& value);

  absl::string_view json_;
  absl::string_view source_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
};

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view text);

}  // namespace hull::config

#endif  // HULL_CONFIG_JSON_READER_H_
