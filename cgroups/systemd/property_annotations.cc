#include "cgroups/systemd/property_annotations.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <variant>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace hull::cgroups::systemd {
namespace {

// A value as written, before its type is settled: GVariant infers an
// unannotated literal's type from its form, and an array's from its
// elements.
struct Literal {
  enum class Kind { kBoolean, kNumber, kString, kArray };
  Kind kind = Kind::kNumber;
  // The number as written, or the string unescaped.
  std::string text;
  bool boolean = false;
  std::vector<Literal> elements;
  // The type a keyword or an @-annotation gave it (a D-Bus signature), or "".
  std::string type;
};

// GVariant's type keywords, by the D-Bus signature they stand for.
std::optional<std::string> KeywordType(absl::string_view word) {
  static constexpr std::pair<absl::string_view, absl::string_view> kKeywords[] = {
      {"boolean", "b"}, {"byte", "y"},   {"int16", "n"},  {"uint16", "q"},
      {"int32", "i"},   {"uint32", "u"}, {"int64", "x"},  {"uint64", "t"},
      {"double", "d"},  {"string", "s"}, {"handle", "h"}, {"objectpath", "o"},
      {"signature", "g"}};
  for (const auto& [keyword, type] : kKeywords) {
    if (word == keyword) return std::string(type);
  }
  return std::nullopt;
}

bool IsDelimiter(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c)) || c == ',' || c == '[' || c == ']' ||
         c == '(' || c == ')' || c == '{' || c == '}' || c == '<' || c == '>' || c == '\'' ||
         c == '"';
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : rest_(text) {}

  absl::StatusOr<Literal> Value() {
    SkipSpace();
    if (rest_.empty()) return Error("a value is missing");
    const char c = rest_.front();
    if (c == '@') {
      rest_.remove_prefix(1);
      const std::string type(Word());
      if (type.empty()) return Error("'@' without a type");
      ASSIGN_OR_RETURN(Literal value, Value());
      if (!value.type.empty() && value.type != type) {
        return Error(absl::StrCat("@", type, " annotates a value of type ", value.type));
      }
      value.type = type;
      return value;
    }
    if (c == '\'' || c == '"') return String();
    if (c == '[') return Array();
    if (c == '(' || c == '{' || c == '<') {
      return Error(absl::StrCat("'", std::string(1, c),
                                "': tuples, dictionaries and variants are not supported"));
    }
    const absl::string_view word = Word();
    if (word.empty()) return Error(absl::StrCat("unexpected '", std::string(1, c), "'"));
    if (word == "true" || word == "false") {
      return Literal{.kind = Literal::Kind::kBoolean, .boolean = word == "true"};
    }
    if (std::optional<std::string> type = KeywordType(word)) {
      ASSIGN_OR_RETURN(Literal value, Value());
      if (value.kind == Literal::Kind::kArray) {
        return Error(absl::StrCat("type keyword \"", word, "\" before an array"));
      }
      value.type = *std::move(type);
      return value;
    }
    if (word == "nothing" || word == "just") return Error("maybe values are not supported");
    return Literal{.kind = Literal::Kind::kNumber, .text = std::string(word)};
  }

  bool AtEnd() {
    SkipSpace();
    return rest_.empty();
  }

 private:
  void SkipSpace() {
    while (!rest_.empty() && absl::ascii_isspace(static_cast<unsigned char>(rest_.front()))) {
      rest_.remove_prefix(1);
    }
  }

  absl::string_view Word() {
    size_t length = 0;
    while (length < rest_.size() && !IsDelimiter(rest_[length])) ++length;
    const absl::string_view word = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return word;
  }

  absl::StatusOr<Literal> String() {
    const char quote = rest_.front();
    size_t end = 1;
    while (end < rest_.size() && rest_[end] != quote) end += rest_[end] == '\\' ? 2 : 1;
    if (end >= rest_.size()) return Error("a string without its closing quote");
    Literal literal{.kind = Literal::Kind::kString};
    std::string error;
    if (!absl::CUnescape(rest_.substr(1, end - 1), &literal.text, &error)) {
      return Error(absl::StrCat("string: ", error));
    }
    rest_.remove_prefix(end + 1);
    return literal;
  }

  absl::StatusOr<Literal> Array() {
    rest_.remove_prefix(1);
    Literal array{.kind = Literal::Kind::kArray};
    SkipSpace();
    if (!rest_.empty() && rest_.front() == ']') {
      rest_.remove_prefix(1);
      return array;
    }
    while (true) {
      ASSIGN_OR_RETURN(Literal element, Value());
      array.elements.push_back(std::move(element));
      SkipSpace();
      if (rest_.empty()) return Error("an array without its closing ']'");
      const char c = rest_.front();
      rest_.remove_prefix(1);
      if (c == ']') return array;
      if (c != ',') return Error(absl::StrCat("'", std::string(1, c), "' between array elements"));
    }
  }

  static absl::Status Error(absl::string_view what) { return absl::InvalidArgumentError(what); }

  absl::string_view rest_;
};

// The type an unannotated literal has (GVariant's inference).
std::string InferredType(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::kBoolean:
      return "b";
    case Literal::Kind::kString:
      return "s";
    case Literal::Kind::kNumber: {
      const absl::string_view text = literal.text;
      const bool hex = absl::StartsWith(text, "0x") || absl::StartsWith(text, "-0x");
      return !hex && text.find_first_of(".eEin") != absl::string_view::npos ? "d" : "i";
    }
    case Literal::Kind::kArray:
      for (const Literal& element : literal.elements) {
        if (!element.type.empty()) return absl::StrCat("a", element.type);
      }
      if (literal.elements.empty()) return "";
      return absl::StrCat("a", InferredType(literal.elements.front()));
  }
  return "";
}

// A decimal or 0x hexadecimal integer, within [min, max].
template <typename Int>
absl::StatusOr<Int> Integer(const Literal& literal, absl::string_view type_name) {
  if (literal.kind != Literal::Kind::kNumber) {
    return absl::InvalidArgumentError(absl::StrCat("not a number for ", type_name));
  }
  absl::string_view text = literal.text;
  const bool negative = absl::ConsumePrefix(&text, "-");
  bool parsed;
  using Wide = std::conditional_t<std::is_signed_v<Int>, int64_t, uint64_t>;
  Wide value = 0;
  if (negative && !std::is_signed_v<Int>) {
    parsed = false;
  } else if (absl::ConsumePrefix(&text, "0x")) {
    parsed = !text.empty() && absl::SimpleHexAtoi(absl::StrCat(negative ? "-" : "", text), &value);
  } else {
    parsed = !text.empty() && absl::ascii_isdigit(static_cast<unsigned char>(text.front())) &&
             absl::SimpleAtoi(absl::StrCat(negative ? "-" : "", text), &value);
  }
  if (!parsed || value < static_cast<Wide>(std::numeric_limits<Int>::min()) ||
      value > static_cast<Wide>(std::numeric_limits<Int>::max())) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", literal.text, "\" is not a number of type ", type_name));
  }
  return static_cast<Int>(value);
}

absl::StatusOr<std::string> StringOf(const Literal& literal) {
  if (literal.kind != Literal::Kind::kString) {
    return absl::InvalidArgumentError("not a string");
  }
  return literal.text;
}

// `literal` as a value of D-Bus type `type`.
absl::StatusOr<PropertyValue> Typed(const Literal& literal, const std::string& type) {
  if (type.empty()) {
    return absl::InvalidArgumentError("an empty array needs a type (\"@as []\")");
  }
  if (literal.kind == Literal::Kind::kArray) {
    if (type[0] != 'a') return absl::InvalidArgumentError(absl::StrCat("an array is not a ", type));
    const std::string element_type = type.substr(1);
    if (element_type != "s" && element_type != "u" && element_type != "y") {
      return absl::InvalidArgumentError(absl::StrCat("arrays of type ", type, " are not supported",
                                                     " (as, au and ay are)"));
    }
    std::vector<std::string> strings;
    std::vector<uint32_t> words;
    std::vector<uint8_t> bytes;
    for (const Literal& element : literal.elements) {
      if (!element.type.empty() && element.type != element_type) {
        return absl::InvalidArgumentError(
            absl::StrCat("an element of type ", element.type, " in an array of type ", type));
      }
      if (element_type == "s") {
        ASSIGN_OR_RETURN(std::string value, StringOf(element));
        strings.push_back(std::move(value));
      } else if (element_type == "u") {
        ASSIGN_OR_RETURN(const uint32_t value, Integer<uint32_t>(element, "uint32"));
        words.push_back(value);
      } else {
        ASSIGN_OR_RETURN(const uint8_t value, Integer<uint8_t>(element, "byte"));
        bytes.push_back(value);
      }
    }
    if (element_type == "s") return PropertyValue(std::move(strings));
    if (element_type == "u") return PropertyValue(std::move(words));
    return PropertyValue(std::move(bytes));
  }
  if (type == "b") {
    if (literal.kind != Literal::Kind::kBoolean) {
      return absl::InvalidArgumentError("a boolean is true or false");
    }
    return PropertyValue(literal.boolean);
  }
  if (type == "s") {
    ASSIGN_OR_RETURN(std::string value, StringOf(literal));
    return PropertyValue(std::move(value));
  }
  if (type == "d") {
    double value;
    if (literal.kind != Literal::Kind::kNumber || !absl::SimpleAtod(literal.text, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", literal.text, "\" is not a number of type double"));
    }
    return PropertyValue(value);
  }
  if (type == "y") return Integer<uint8_t>(literal, "byte");
  if (type == "n") return Integer<int16_t>(literal, "int16");
  if (type == "q") return Integer<uint16_t>(literal, "uint16");
  if (type == "i") return Integer<int32_t>(literal, "int32");
  if (type == "u") return Integer<uint32_t>(literal, "uint32");
  if (type == "x") return Integer<int64_t>(literal, "int64");
  if (type == "t") return Integer<uint64_t>(literal, "uint64");
  return absl::InvalidArgumentError(absl::StrCat("values of type ", type, " are not supported"));
}

// runc's checkPropertyName: ASCII letters, at least three.
bool ValidPropertyName(absl::string_view name) {
  return name.size() >= 3 && std::all_of(name.begin(), name.end(), [](char c) {
           return absl::ascii_isalpha(static_cast<unsigned char>(c));
         });
}

// A number of seconds as microseconds; nullopt for a negative one, one too
// large for a uint64 of microseconds, or a value that is not a number.
std::optional<uint64_t> SecondsToMicroseconds(const PropertyValue& value) {
  constexpr uint64_t kMicrosecondsPerSecond = 1000000;
  return std::visit(
      [&](const auto& number) -> std::optional<uint64_t> {
        using T = std::decay_t<decltype(number)>;
        if constexpr (std::is_same_v<T, double>) {
          // Also refuses NaN, and what uint64 cannot hold.
          if (!(number >= 0 && number * kMicrosecondsPerSecond < 0x1p64)) return std::nullopt;
          return static_cast<uint64_t>(number * kMicrosecondsPerSecond);
        } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          if constexpr (std::is_signed_v<T>) {
            if (number < 0) return std::nullopt;
          }
          const uint64_t seconds = static_cast<uint64_t>(number);
          if (seconds > std::numeric_limits<uint64_t>::max() / kMicrosecondsPerSecond) {
            return std::nullopt;
          }
          return seconds * kMicrosecondsPerSecond;
        } else {
          return std::nullopt;
        }
      },
      value);
}

}  // namespace

absl::StatusOr<PropertyValue> ParseGVariantText(absl::string_view text) {
  Parser parser(text);
  ASSIGN_OR_RETURN(const Literal literal, parser.Value());
  if (!parser.AtEnd()) return absl::InvalidArgumentError("text after the value");
  return Typed(literal, literal.type.empty() ? InferredType(literal) : literal.type);
}

std::optional<std::string> FirstPropertyAnnotation(const Annotations& annotations) {
  std::optional<std::string> first;
  for (const auto& [key, value] : annotations) {
    if (absl::StartsWith(key, kPropertyAnnotationPrefix) && (!first || key < *first)) first = key;
  }
  return first;
}

absl::StatusOr<std::vector<UnitProperty>> AnnotatedProperties(const Annotations& annotations) {
  std::map<std::string, std::string> sorted;
  for (const auto& [key, value] : annotations) {
    if (absl::StartsWith(key, kPropertyAnnotationPrefix)) sorted.emplace(key, value);
  }
  std::vector<UnitProperty> properties;
  for (const auto& [key, text] : sorted) {
    auto refused = [&key](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("annotation \"", key, "\": ", why));
    };
    std::string name = key.substr(kPropertyAnnotationPrefix.size());
    if (!ValidPropertyName(name)) {
      return refused("a systemd property name is ASCII letters only, at least three");
    }
    absl::StatusOr<PropertyValue> value = ParseGVariantText(text);
    if (!value.ok()) {
      return refused(absl::StrCat("value \"", text, "\" is not GVariant text Hull can send: ",
                                  value.status().message()));
    }
    // TimeoutStopSec, not TimeoutStopUSec (whose 'U' is upper case).
    if (absl::EndsWith(name, "Sec") && name.size() > 3 &&
        absl::ascii_islower(static_cast<unsigned char>(name[name.size() - 4]))) {
      const std::optional<uint64_t> microseconds = SecondsToMicroseconds(*value);
      if (!microseconds) {
        return refused(absl::StrCat("value \"", text, "\" is not a number of seconds"));
      }
      name.resize(name.size() - 3);
      properties.push_back({absl::StrCat(name, "USec"), *microseconds});
      continue;
    }
    properties.push_back({std::move(name), *std::move(value)});
  }
  return properties;
}

}  // namespace hull::cgroups::systemd
