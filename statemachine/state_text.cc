#include "statemachine/state_text.h"

#include <stdint.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "config/text_writer.h"
#include "google/protobuf/map.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {
namespace {

using StringMap = google::protobuf::Map<std::string, std::string>;

// The names lifecycle_state.proto gives State values, by number: State_Name
// would build the descriptors (state_text_test checks them against it).
constexpr absl::string_view kStateNames[] = {
    "STATE_UNSPECIFIED", "STATE_CREATING", "STATE_CREATED",
    "STATE_RUNNING",     "STATE_PAUSED",   "STATE_STOPPED",
};
// Those of ContainerState.PidNamespace.Kind (checked the same way).
constexpr absl::string_view kPidNamespaceKindNames[] = {
    "KIND_UNSPECIFIED",
    "KIND_NONE",
    "KIND_NEW",
    "KIND_JOINED",
};

// TextFormat prints an enum value by its name, a value without a name as
// its number.
void WriteEnum(config::TextWriter& writer, absl::string_view name, int number,
               absl::Span<const absl::string_view> names) {
  if (number > 0 && number < static_cast<int>(names.size())) {
    writer.Enum(name, names[number]);
  } else {
    writer.Integer(name, int64_t{number});
  }
}

// TextFormat prints a map as its entries, sorted by key (bytewise), each
// with its key and value even when empty.
void WriteMap(config::TextWriter& writer, absl::string_view name, const StringMap& map) {
  for (const StringMap::value_type* entry : config::SortedByKey(map)) {
    writer.Open(name);
    writer.String("key", entry->first);
    writer.String("value", entry->second);
    writer.Close();
  }
}

// The lines of a text that ends in '\n' (or is empty), one at a time.
class LineReader {
 public:
  explicit LineReader(absl::string_view text) : rest_(text) {}
  bool done() const { return rest_.empty(); }
  absl::string_view Peek() const { return rest_.substr(0, rest_.find('\n')); }
  // The next line, without its '\n'; false at the end.
  bool Next(absl::string_view& line) {
    if (rest_.empty()) return false;
    line = Peek();
    rest_.remove_prefix(line.size() + 1);
    return true;
  }

 private:
  absl::string_view rest_;
};

// `quoted` is "<s>" with <s> exactly as TextWriter::String escapes it.
bool ParseQuoted(absl::string_view quoted, std::string& value) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return false;
  const absl::string_view escaped = quoted.substr(1, quoted.size() - 2);
  return absl::CUnescape(escaped, &value) && absl::CEscape(value) == escaped;
}

// A string field's value: never empty, as an empty one is not printed.
bool ParsePresentString(absl::string_view quoted, std::string& value) {
  return ParseQuoted(quoted, value) && !value.empty();
}

// An integer field's value, in decimal as absl::StrCat prints it: never 0.
template <typename Integer>
bool ParsePresentInteger(absl::string_view digits, Integer& value) {
  return absl::SimpleAtoi(digits, &value) && value != 0 && absl::StrCat(value) == digits;
}

// `line` is `<indent><name>: <value>`; sets `value`.
bool FieldValue(absl::string_view line, absl::string_view indent, absl::string_view name,
                absl::string_view& value) {
  if (!absl::ConsumePrefix(&line, indent) || !absl::ConsumePrefix(&line, name) ||
      !absl::ConsumePrefix(&line, ": ")) {
    return false;
  }
  value = line;
  return true;
}

// Sets a string field from its quoted value.
template <std::string* (ContainerState::*mutable_field)()>
bool ParseStringField(absl::string_view value, ContainerState& state) {
  return ParsePresentString(value, *(state.*mutable_field)());
}

// Sets an integer field from its decimal value.
template <typename Integer, void (ContainerState::*set_field)(Integer)>
bool ParseIntegerField(absl::string_view value, ContainerState& state) {
  Integer number;
  if (!ParsePresentInteger(value, number)) return false;
  (state.*set_field)(number);
  return true;
}

// An enum field's value as WriteEnum writes it (never 0, not printed).
bool ParseEnumValue(absl::string_view value, absl::Span<const absl::string_view> names,
                    int32_t& number) {
  const int count = static_cast<int>(names.size());
  for (number = 1; number < count; ++number) {
    if (value == names[number]) return true;
  }
  // A number only for a value without a name.
  return ParsePresentInteger(value, number) && !(number > 0 && number < count);
}

bool ParseStatus(absl::string_view value, ContainerState& state) {
  // ParseStateFile refuses a status without a name.
  int32_t number;
  if (!ParseEnumValue(value, kStateNames, number)) return false;
  state.set_status(static_cast<State>(number));
  return true;
}

bool ParseNoCgroup(absl::string_view value, ContainerState& state) {
  if (value != "true") return false;
  state.set_no_cgroup(true);
  return true;
}

// An optional bool: printed when set, false too.
template <void (ContainerState::*set_field)(bool)>
bool ParseOptionalBool(absl::string_view value, ContainerState& state) {
  if (value != "true" && value != "false") return false;
  (state.*set_field)(value == "true");
  return true;
}

struct ScalarField {
  absl::string_view name;
  int number;
  bool (*parse)(absl::string_view value, ContainerState& state);
};

constexpr ScalarField kScalarFields[] = {
    {"id", 1, ParseStringField<&ContainerState::mutable_id>},
    {"bundle", 2, ParseStringField<&ContainerState::mutable_bundle>},
    {"status", 3, ParseStatus},
    {"pid", 4, ParseIntegerField<int32_t, &ContainerState::set_pid>},
    {"pid_start_time", 5, ParseIntegerField<uint64_t, &ContainerState::set_pid_start_time>},
    {"created_unix_nanos", 6, ParseIntegerField<int64_t, &ContainerState::set_created_unix_nanos>},
    {"cgroup_systemd_unit", 13, ParseStringField<&ContainerState::mutable_cgroup_systemd_unit>},
    {"no_cgroup", 14, ParseNoCgroup},
    {"rootfs", 15, ParseStringField<&ContainerState::mutable_rootfs>},
    {"poststart_hooks", 16, ParseOptionalBool<&ContainerState::set_poststart_hooks>},
    {"poststop_hooks", 17, ParseOptionalBool<&ContainerState::set_poststop_hooks>},
    // 18, pid_namespace, is a message.
    {"intel_rdt", 19, ParseOptionalBool<&ContainerState::set_intel_rdt>},
};

struct MapField {
  absl::string_view name;
  int number;
  StringMap* (ContainerState::*map)();
};

constexpr MapField kMapFields[] = {
    {"annotations", 8, &ContainerState::mutable_annotations},
    {"cgroup_paths", 9, &ContainerState::mutable_cgroup_paths},
    {"cgroup_created_paths", 12, &ContainerState::mutable_cgroup_created_paths},
};

constexpr int kOwnerNumber = 7;

// The lines of `owner` after its "owner {", up to its closing "}".
bool ParseOwner(LineReader& lines, ContainerState::Owner& owner) {
  absl::string_view line;
  absl::string_view value;
  if (!lines.Next(line)) return false;
  if (FieldValue(line, "  ", "uid", value)) {
    uint32_t uid;
    if (!ParsePresentInteger(value, uid) || !lines.Next(line)) return false;
    owner.set_uid(uid);
  }
  if (FieldValue(line, "  ", "user_name", value)) {
    if (!ParsePresentString(value, *owner.mutable_user_name()) || !lines.Next(line)) return false;
  }
  return line == "}";
}

constexpr int kPidNamespaceNumber = 18;

// The lines of `pid_namespace` after its "pid_namespace {", up to its
// closing "}".
bool ParsePidNamespace(LineReader& lines, ContainerState::PidNamespace& pid_namespace) {
  absl::string_view line;
  absl::string_view value;
  if (!lines.Next(line)) return false;
  if (FieldValue(line, "  ", "kind", value)) {
    int32_t kind;
    if (!ParseEnumValue(value, kPidNamespaceKindNames, kind) || !lines.Next(line)) return false;
    pid_namespace.set_kind(static_cast<ContainerState::PidNamespace::Kind>(kind));
  }
  if (FieldValue(line, "  ", "path", value)) {
    if (!ParsePresentString(value, *pid_namespace.mutable_path()) || !lines.Next(line)) {
      return false;
    }
  }
  return line == "}";
}

// The lines of a map entry after its "<name> {", up to its closing "}".
bool ParseMapEntry(LineReader& lines, std::string& key, std::string& value) {
  absl::string_view key_line;
  absl::string_view value_line;
  absl::string_view end;
  absl::string_view quoted_key;
  absl::string_view quoted_value;
  return lines.Next(key_line) && lines.Next(value_line) && lines.Next(end) &&
         FieldValue(key_line, "  ", "key", quoted_key) && ParseQuoted(quoted_key, key) &&
         FieldValue(value_line, "  ", "value", quoted_value) &&
         ParseQuoted(quoted_value, value) && end == "}";
}

}  // namespace

std::string StateText(const ContainerState& state) {
  std::string out;
  config::TextWriter writer(out);
  if (!state.id().empty()) writer.String("id", state.id());
  if (!state.bundle().empty()) writer.String("bundle", state.bundle());
  if (state.status() != 0) WriteEnum(writer, "status", state.status(), kStateNames);
  if (state.pid() != 0) writer.Integer("pid", int64_t{state.pid()});
  if (state.pid_start_time() != 0) writer.Integer("pid_start_time", state.pid_start_time());
  if (state.created_unix_nanos() != 0) {
    writer.Integer("created_unix_nanos", state.created_unix_nanos());
  }
  if (state.has_owner()) {
    writer.Open("owner");
    if (state.owner().uid() != 0) writer.Integer("uid", uint64_t{state.owner().uid()});
    if (!state.owner().user_name().empty()) writer.String("user_name", state.owner().user_name());
    writer.Close();
  }
  WriteMap(writer, "annotations", state.annotations());
  WriteMap(writer, "cgroup_paths", state.cgroup_paths());
  // Field 11, the config, is in a file of its own.
  WriteMap(writer, "cgroup_created_paths", state.cgroup_created_paths());
  if (!state.cgroup_systemd_unit().empty()) {
    writer.String("cgroup_systemd_unit", state.cgroup_systemd_unit());
  }
  if (state.no_cgroup()) writer.Bool("no_cgroup", true);
  if (!state.rootfs().empty()) writer.String("rootfs", state.rootfs());
  if (state.has_poststart_hooks()) writer.Bool("poststart_hooks", state.poststart_hooks());
  if (state.has_poststop_hooks()) writer.Bool("poststop_hooks", state.poststop_hooks());
  if (state.has_pid_namespace()) {
    const ContainerState::PidNamespace& pid_namespace = state.pid_namespace();
    writer.Open("pid_namespace");
    if (pid_namespace.kind() != 0) {
      WriteEnum(writer, "kind", pid_namespace.kind(), kPidNamespaceKindNames);
    }
    if (!pid_namespace.path().empty()) writer.String("path", pid_namespace.path());
    writer.Close();
  }
  if (state.has_intel_rdt()) writer.Bool("intel_rdt", state.intel_rdt());
  return out;
}

bool ParseStateText(absl::string_view text, ContainerState& state) {
  state.Clear();
  if (!text.empty() && text.back() != '\n') return false;
  // StateText writes printable ASCII lines only.
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); })) {
    return false;
  }
  LineReader lines(text);
  while (!lines.done() && absl::StartsWith(lines.Peek(), "#")) {
    absl::string_view comment;
    lines.Next(comment);
  }
  // Fields come once each, by number; a map's entries by key.
  int last_number = 0;
  std::string last_key;
  absl::string_view line;
  while (lines.Next(line)) {
    if (line == "owner {") {
      if (kOwnerNumber <= last_number || !ParseOwner(lines, *state.mutable_owner())) return false;
      last_number = kOwnerNumber;
      continue;
    }
    if (line == "pid_namespace {") {
      if (kPidNamespaceNumber <= last_number ||
          !ParsePidNamespace(lines, *state.mutable_pid_namespace())) {
        return false;
      }
      last_number = kPidNamespaceNumber;
      continue;
    }
    if (absl::ConsumeSuffix(&line, " {")) {
      const MapField* field =
          std::find_if(std::begin(kMapFields), std::end(kMapFields),
                       [&](const MapField& map) { return map.name == line; });
      if (field == std::end(kMapFields)) return false;
      std::string key;
      std::string value;
      if (!ParseMapEntry(lines, key, value)) return false;
      if (field->number < last_number || (field->number == last_number && key <= last_key)) {
        return false;
      }
      last_number = field->number;
      (*(state.*field->map)())[key] = std::move(value);
      last_key = std::move(key);
      continue;
    }
    const size_t colon = line.find(": ");
    if (colon == absl::string_view::npos) return false;
    const absl::string_view name = line.substr(0, colon);
    const ScalarField* field =
        std::find_if(std::begin(kScalarFields), std::end(kScalarFields),
                     [&](const ScalarField& scalar) { return scalar.name == name; });
    if (field == std::end(kScalarFields) || field->number <= last_number ||
        !field->parse(line.substr(colon + 2), state)) {
      return false;
    }
    last_number = field->number;
  }
  return true;
}

}  // namespace hull::statemachine
