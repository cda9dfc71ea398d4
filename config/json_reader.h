// Strict reading of config.json (and of `update -r`'s resources) into its
// message.
//
// The OCI spec (and runc's Go decoder) is strict where protobuf's JSON parser
// is not: that parser accepts "12" for an integer, "sh" for a list, flattens
// nested lists, silently keeps the last of two duplicate keys, and its errors
// name proto fields rather than the spec's JSON names. ReadJsonMessage walks
// the text once against the message's descriptor, filling the message by
// reflection, and reports the first problem as
// "<source>:<line>:<column>: <json path>: <what is wrong>".
#ifndef HULL_CONFIG_JSON_READER_H_
#define HULL_CONFIG_JSON_READER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace hull::config {

// Objects and arrays nested deeper than this are refused (stack safety).
inline constexpr int kMaxJsonNestingDepth = 100;

// Reads `json` into `message` (cleared first). The text must be a single JSON
// object (RFC 8259) that fits the message's schema:
//  - valid UTF-8, no NUL characters, no unpaired surrogate escapes;
//  - no duplicate keys in any object (also across a field's two names,
//    "hostID" and "host_id", which protobuf both accepts);
//  - nesting at most kMaxJsonNestingDepth;
//  - every known field holds the JSON kind its type needs: integers written
//    as integers and within the field's range, booleans as true/false,
//    lists as arrays (without null elements), maps and messages as objects;
//    null means "unset" and is accepted for any field (a map's null value is
//    the value type's default);
//  - unknown fields are skipped (the spec requires ignoring them), but must
//    still be well-formed and their numbers finite as doubles.
// Returns InvalidArgument naming `source`, the position and the JSON path;
// `message` then holds what was read before the problem.
absl::Status ReadJsonMessage(absl::string_view json, absl::string_view source,
                             google::protobuf::Message& message);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view text);

}  // namespace hull::config

#endif  // HULL_CONFIG_JSON_READER_H_
