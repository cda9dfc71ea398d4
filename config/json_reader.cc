#include "config/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"

namespace hull::config {
namespace {

// Length of the UTF-8 sequence starting at text[0], or 0 when it is invalid.
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto continuation = [&](size_t i) { return i < text.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void AppendUtf8(char32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool StartsValue(char c) {
  return absl::StrContains("{[\"tfn-", c) || absl::ascii_isdigit(static_cast<unsigned char>(c));
}

// The JSON kind of the value starting with `c` (which StartsValue), for
// messages.
absl::string_view KindStartingWith(char c) {
  switch (c) {
    case '{':
      return "an object";
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    default:
      return "a number";
  }
}

std::string Abbreviated(absl::string_view literal) {
  constexpr size_t kMaxShown = 40;
  if (literal.size() <= kMaxShown) return std::string(literal);
  return absl::StrCat(literal.substr(0, kMaxShown), "... (", literal.size(), " characters)");
}

}  // namespace

absl::Status JsonReader::ReadDocument(absl::FunctionRef<absl::Status()> read_object) {
  SkipWhitespace();
  if (AtEnd()) return SyntaxError("the document is empty");
  if (!StartsValue(Peek())) return UnexpectedCharacter("'{'");
  if (Peek() != '{') {
    return Error(absl::StrCat("the document must be a JSON object, not ", KindStartingWith(Peek())));
  }
  RETURN_IF_ERROR(read_object());
  SkipWhitespace();
  if (!AtEnd()) return SyntaxError("unexpected data after the top-level object");
  return absl::OkStatus();
}

// --- Errors -----------------------------------------------------------------

absl::Status JsonReader::Error(absl::string_view what) const {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos_ && i < json_.size(); ++i) {
    if (json_[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const std::string path = Path();
  return absl::InvalidArgumentError(
      absl::StrFormat("%s:%d:%d: %s%s", source_, line, pos_ - line_start + 1,
                      path.empty() ? "" : absl::StrCat(path, ": "), what));
}

absl::Status JsonReader::SyntaxError(absl::string_view what) const {
  return Error(absl::StrCat("invalid JSON: ", what));
}

absl::Status JsonReader::UnexpectedCharacter(absl::string_view expected) const {
  if (AtEnd()) return SyntaxError(absl::StrCat("unexpected end of input, expected ", expected));
  const unsigned char c = static_cast<unsigned char>(Peek());
  const std::string found =
      absl::ascii_isprint(c) ? absl::StrFormat("'%c'", c) : absl::StrFormat("byte 0x%02x", c);
  return SyntaxError(absl::StrCat("unexpected ", found, ", expected ", expected));
}

absl::Status JsonReader::WrongKind(absl::string_view expected) const {
  if (AtEnd() || !StartsValue(Peek())) return UnexpectedCharacter("a value");
  return Error(absl::StrCat("expected ", expected, ", got ", KindStartingWith(Peek())));
}

// "linux.uidMappings[0].hostID", "linux.sysctl[\"net.ipv4.ip_forward\"]".
std::string JsonReader::Path() const {
  std::string path;
  for (const std::string& segment : path_) {
    if (!path.empty() && segment[0] != '[') path += '.';
    path += segment;
  }
  return path;
}

// --- Lexing -------------------------------------------------------------------

void JsonReader::SkipWhitespace() {
  while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
    ++pos_;
  }
}

// Consumes `c` after optional whitespace.
bool JsonReader::Consume(char c) {
  SkipWhitespace();
  if (AtEnd() || Peek() != c) return false;
  ++pos_;
  return true;
}

absl::Status JsonReader::Expect(char c, absl::string_view expected) {
  if (!Consume(c)) return UnexpectedCharacter(expected);
  return absl::OkStatus();
}

absl::Status JsonReader::ReadHex4(char32_t* value) {
  *value = 0;
  for (int i = 0; i < 4; ++i, ++pos_) {
    if (AtEnd() || !absl::ascii_isxdigit(static_cast<unsigned char>(Peek()))) {
      return SyntaxError("\\u must be followed by four hex digits");
    }
    const char c = absl::ascii_tolower(static_cast<unsigned char>(Peek()));
    *value = *value * 16 + static_cast<char32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return absl::OkStatus();
}

// Reads the escape after a backslash into `out`.
absl::Status JsonReader::ReadEscape(std::string* out) {
  if (AtEnd()) return SyntaxError("unterminated string");
  const char c = Peek();
  ++pos_;
  switch (c) {
    case '"':
    case '\\':
    case '/':
      out->push_back(c);
      return absl::OkStatus();
    case 'b':
      out->push_back('\b');
      return absl::OkStatus();
    case 'f':
      out->push_back('\f');
      return absl::OkStatus();
    case 'n':
      out->push_back('\n');
      return absl::OkStatus();
    case 'r':
      out->push_back('\r');
      return absl::OkStatus();
    case 't':
      out->push_back('\t');
      return absl::OkStatus();
    case 'u':
      break;
    default:
      --pos_;
      return SyntaxError("invalid escape sequence in string");
  }
  char32_t code_point;
  RETURN_IF_ERROR(ReadHex4(&code_point));
  if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
    return SyntaxError("unpaired UTF-16 surrogate escape in string");
  }
  if (code_point >= 0xD800 && code_point <= 0xDBFF) {
    if (json_.substr(pos_, 2) != "\\u") {
      return SyntaxError("unpaired UTF-16 surrogate escape in string");
    }
    pos_ += 2;
    char32_t low;
    RETURN_IF_ERROR(ReadHex4(&low));
    if (low < 0xDC00 || low > 0xDFFF) {
      return SyntaxError("unpaired UTF-16 surrogate escape in string");
    }
    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
  }
  if (code_point == 0) {
    // A NUL would silently cut a path short when it reaches a syscall.
    return Error("strings must not contain NUL characters (\\u0000)");
  }
  AppendUtf8(code_point, out);
  return absl::OkStatus();
}

// Reads a string starting at its opening quote.
absl::Status JsonReader::ReadStringToken(std::string* out) {
  out->clear();
  ++pos_;  // opening quote
  while (true) {
    if (AtEnd()) return SyntaxError("unterminated string");
    const unsigned char c = static_cast<unsigned char>(Peek());
    if (c == '"') {
      ++pos_;
      return absl::OkStatus();
    }
    if (c == '\\') {
      ++pos_;
      RETURN_IF_ERROR(ReadEscape(out));
      continue;
    }
    if (c < 0x20) {
      return SyntaxError(c == 0 ? "NUL byte in string"
                                : "control characters in strings must be escaped");
    }
    const size_t length = Utf8SequenceLength(json_.substr(pos_));
    if (length == 0) return Error("string is not valid UTF-8");
    out->append(json_.data() + pos_, length);
    pos_ += length;
  }
}

// Reads a number's literal per the JSON grammar.
absl::Status JsonReader::ReadNumber(absl::string_view* literal) {
  const size_t start = pos_;
  const auto digits = [&] {
    const size_t from = pos_;
    while (!AtEnd() && absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    return pos_ > from;
  };
  if (!AtEnd() && Peek() == '-') ++pos_;
  if (!AtEnd() && Peek() == '0') {
    ++pos_;
    if (!AtEnd() && absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) {
      return SyntaxError("numbers must not have leading zeros");
    }
  } else if (!digits()) {
    return UnexpectedCharacter("a value");
  }
  if (!AtEnd() && Peek() == '.') {
    ++pos_;
    if (!digits()) return SyntaxError("a number's '.' must be followed by digits");
  }
  if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
    ++pos_;
    if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
    if (!digits()) return SyntaxError("a number's exponent must have digits");
  }
  *literal = json_.substr(start, pos_ - start);
  return absl::OkStatus();
}

absl::Status JsonReader::ReadLiteral(absl::string_view word) {
  if (json_.substr(pos_, word.size()) != word) {
    return SyntaxError(absl::StrCat("expected the literal ", word));
  }
  pos_ += word.size();
  return absl::OkStatus();
}

// --- Values -------------------------------------------------------------------

// Any well-formed value, checked and dropped: the value of a field the
// schema does not know.
absl::Status JsonReader::SkipValue(int depth) {
  SkipWhitespace();
  if (AtEnd()) return UnexpectedCharacter("a value");
  switch (Peek()) {
    case '{':
      return ReadObject(depth, [&](const std::string&) { return SkipValue(depth + 1); });
    case '[':
      return ReadArray(depth, [&] { return SkipValue(depth + 1); });
    case '"': {
      std::string ignored;
      return ReadStringToken(&ignored);
    }
    case 't':
      return ReadLiteral("true");
    case 'f':
      return ReadLiteral("false");
    case 'n':
      return ReadLiteral("null");
    default: {
      const size_t start = pos_;
      absl::string_view literal;
      RETURN_IF_ERROR(ReadNumber(&literal));
      // Protobuf's parser refuses what a double cannot hold.
      if (std::isinf(std::strtod(std::string(literal).c_str(), nullptr))) {
        pos_ = start;
        return Error(absl::StrCat("number out of range: ", Abbreviated(literal)));
      }
      return absl::OkStatus();
    }
  }
}

// Walks an object, calling `member(key)` with the cursor on each value.
// Refuses duplicate keys.
absl::Status JsonReader::ReadObject(
    int depth, absl::FunctionRef<absl::Status(const std::string& key)> member) {
  if (depth + 1 > kMaxJsonNestingDepth) {
    return Error(absl::StrCat("nesting deeper than ", kMaxJsonNestingDepth, " levels"));
  }
  ++pos_;  // '{'
  if (Consume('}')) return absl::OkStatus();
  absl::flat_hash_set<std::string> keys;
  std::string key;
  do {
    SkipWhitespace();
    if (AtEnd() || Peek() != '"') return UnexpectedCharacter("a string key");
    const size_t key_pos = pos_;
    RETURN_IF_ERROR(ReadStringToken(&key));
    if (!keys.insert(key).second) {
      pos_ = key_pos;
      return Error(absl::StrFormat("duplicate key \"%s\"", absl::CEscape(key)));
    }
    RETURN_IF_ERROR(Expect(':', "':' after an object key"));
    SkipWhitespace();
    RETURN_IF_ERROR(member(key));
  } while (Consume(','));
  return Expect('}', "',' or '}' in an object");
}

absl::Status JsonReader::ReadArray(int depth, absl::FunctionRef<absl::Status()> element) {
  if (depth + 1 > kMaxJsonNestingDepth) {
    return Error(absl::StrCat("nesting deeper than ", kMaxJsonNestingDepth, " levels"));
  }
  ++pos_;  // '['
  if (Consume(']')) return absl::OkStatus();
  do {
    SkipWhitespace();
    RETURN_IF_ERROR(element());
  } while (Consume(','));
  return Expect(']', "',' or ']' in an array");
}

absl::Status JsonReader::ReadMessage(absl::Span<const JsonField> fields, int depth,
                                     void* message) {
  if (AtEnd() || Peek() != '{') return WrongKind("an object");
  // Schemas have few fields: which were seen is a bit each.
  std::vector<bool> seen(fields.size());
  return ReadObject(depth, [&](const std::string& key) -> absl::Status {
    const auto field = std::find_if(fields.begin(), fields.end(), [&](const JsonField& field) {
      return field.json_name == key || field.name == key;
    });
    if (field == fields.end()) return SkipValue(depth + 1);
    const size_t index = static_cast<size_t>(field - fields.begin());
    if (seen[index]) {
      return Error(absl::StrFormat("\"%s\" is given twice (as \"%s\" and \"%s\")",
                                   field->json_name, field->json_name, field->name));
    }
    seen[index] = true;
    if (AtEnd()) return UnexpectedCharacter("a value");
    if (Peek() == 'n') return ReadLiteral("null");  // unset
    path_.emplace_back(field->json_name);
    RETURN_IF_ERROR(field->read(*this, depth + 1, message));
    path_.pop_back();
    return absl::OkStatus();
  });
}

absl::Status JsonReader::ReadList(int depth,
                                  absl::FunctionRef<absl::Status(int depth)> read_element) {
  if (Peek() != '[') return WrongKind("an array");
  size_t index = 0;
  return ReadArray(depth, [&]() -> absl::Status {
    path_.push_back(absl::StrCat("[", index++, "]"));
    if (!AtEnd() && Peek() == 'n') return Error("null is not allowed in a list");
    RETURN_IF_ERROR(read_element(depth + 1));
    path_.pop_back();
    return absl::OkStatus();
  });
}

absl::Status JsonReader::ReadMap(
    int depth,
    absl::FunctionRef<absl::Status(const std::string& key, bool has_value, int depth)>
        read_entry) {
  if (Peek() != '{') return WrongKind("an object");
  return ReadObject(depth, [&](const std::string& key) -> absl::Status {
    path_.push_back(absl::StrFormat("[\"%s\"]", absl::CEscape(key)));
    if (AtEnd()) return UnexpectedCharacter("a value");
    const bool has_value = Peek() != 'n';
    if (!has_value) RETURN_IF_ERROR(ReadLiteral("null"));
    RETURN_IF_ERROR(read_entry(key, has_value, depth + 1));
    path_.pop_back();
    return absl::OkStatus();
  });
}

absl::Status JsonReader::ReadString(std::string& value) {
  if (AtEnd() || Peek() != '"') return WrongKind("a string");
  return ReadStringToken(&value);
}

absl::Status JsonReader::ReadBool(bool& value) {
  if (AtEnd()) return UnexpectedCharacter("a value");
  if (Peek() == 't') {
    RETURN_IF_ERROR(ReadLiteral("true"));
    value = true;
  } else if (Peek() == 'f') {
    RETURN_IF_ERROR(ReadLiteral("false"));
    value = false;
  } else {
    return WrongKind("true or false");
  }
  return absl::OkStatus();
}

// An integer of type Int, within its range.
template <typename Int>
absl::Status JsonReader::ReadIntegerOf(absl::string_view type_name, Int& value) {
  if (AtEnd()) return UnexpectedCharacter("a value");
  const char c = Peek();
  if (c != '-' && !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
    return WrongKind("an integer");
  }
  const size_t start = pos_;
  absl::string_view literal;
  RETURN_IF_ERROR(ReadNumber(&literal));
  // Errors point at the number.
  if (literal.find_first_of(".eE") != absl::string_view::npos) {
    pos_ = start;
    return Error(absl::StrCat("expected an integer, got ", Abbreviated(literal)));
  }
  // from_chars refuses a sign for unsigned types, as Go's ParseUint does.
  const auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  if (error != std::errc() || end != literal.data() + literal.size()) {
    pos_ = start;
    return Error(absl::StrCat(Abbreviated(literal), " is out of range for ", type_name, " (",
                              std::numeric_limits<Int>::min(), " to ",
                              std::numeric_limits<Int>::max(), ")"));
  }
  return absl::OkStatus();
}

absl::Status JsonReader::ReadInteger(int32_t& value) { return ReadIntegerOf("int32", value); }
absl::Status JsonReader::ReadInteger(int64_t& value) { return ReadIntegerOf("int64", value); }
absl::Status JsonReader::ReadInteger(uint32_t& value) { return ReadIntegerOf("uint32", value); }
absl::Status JsonReader::ReadInteger(uint64_t& value) { return ReadIntegerOf("uint64", value); }

bool IsValidUtf8(absl::string_view text) {
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

}  // namespace hull::config
