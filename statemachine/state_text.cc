#include "statemachine/state_text.h"

#include <stdint.h>

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "config/text_reader.h"
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

using config::TextField;
using config::TextReader;

// The readers of a message's fields, by the accessor each sets.
template <typename Message, std::string* (Message::*mutable_field)()>
bool ReadString(TextReader& reader, void* message) {
  return reader.ReadString(*(static_cast<Message*>(message)->*mutable_field)());
}

template <typename Message, typename Integer, void (Message::*set_field)(Integer)>
bool ReadInteger(TextReader& reader, void* message) {
  Integer value;
  if (!reader.ReadInteger(value)) return false;
  (static_cast<Message*>(message)->*set_field)(value);
  return true;
}

template <void (ContainerState::*set_field)(bool)>
bool ReadBool(TextReader& reader, void* state) {
  bool value;
  if (!reader.ReadBool(value)) return false;
  (static_cast<ContainerState*>(state)->*set_field)(value);
  return true;
}

template <typename Message, typename Enum, void (Message::*set_field)(Enum),
          const absl::Span<const absl::string_view>* names>
bool ReadEnum(TextReader& reader, void* message) {
  int32_t number;
  if (!reader.ReadEnum(*names, number)) return false;
  (static_cast<Message*>(message)->*set_field)(static_cast<Enum>(number));
  return true;
}

template <StringMap* (ContainerState::*map)()>
bool ReadMap(TextReader& reader, void* state) {
  StringMap& entries = *(static_cast<ContainerState*>(state)->*map)();
  return reader.ReadMapEntry([&](const std::string& key) { return reader.ReadString(entries[key]); });
}

template <typename Nested, Nested* (ContainerState::*mutable_field)(),
          const absl::Span<const TextField>* fields>
bool ReadNested(TextReader& reader, void* state) {
  return reader.ReadMessage(*fields, (static_cast<ContainerState*>(state)->*mutable_field)());
}

using Owner = ContainerState::Owner;
using PidNamespace = ContainerState::PidNamespace;

constexpr absl::Span<const absl::string_view> kStateNameSpan = kStateNames;
constexpr absl::Span<const absl::string_view> kPidNamespaceKindNameSpan = kPidNamespaceKindNames;

constexpr TextField kOwnerFields[] = {
    {"uid", ReadInteger<Owner, uint32_t, &Owner::set_uid>},
    {"user_name", ReadString<Owner, &Owner::mutable_user_name>},
};
constexpr absl::Span<const TextField> kOwnerFieldSpan = kOwnerFields;

constexpr TextField kPidNamespaceFields[] = {
    {"kind", ReadEnum<PidNamespace, PidNamespace::Kind, &PidNamespace::set_kind,
                      &kPidNamespaceKindNameSpan>},
    {"path", ReadString<PidNamespace, &PidNamespace::mutable_path>},
};
constexpr absl::Span<const TextField> kPidNamespaceFieldSpan = kPidNamespaceFields;

constexpr TextField kStateFields[] = {
    {"id", ReadString<ContainerState, &ContainerState::mutable_id>},
    {"bundle", ReadString<ContainerState, &ContainerState::mutable_bundle>},
    {"status", ReadEnum<ContainerState, State, &ContainerState::set_status, &kStateNameSpan>},
    {"pid", ReadInteger<ContainerState, int32_t, &ContainerState::set_pid>},
    {"pid_start_time", ReadInteger<ContainerState, uint64_t, &ContainerState::set_pid_start_time>},
    {"created_unix_nanos",
     ReadInteger<ContainerState, int64_t, &ContainerState::set_created_unix_nanos>},
    {"owner", ReadNested<Owner, &ContainerState::mutable_owner, &kOwnerFieldSpan>},
    {"annotations", ReadMap<&ContainerState::mutable_annotations>},
    {"cgroup_paths", ReadMap<&ContainerState::mutable_cgroup_paths>},
    {"cgroup_created_paths", ReadMap<&ContainerState::mutable_cgroup_created_paths>},
    {"cgroup_systemd_unit", ReadString<ContainerState, &ContainerState::mutable_cgroup_systemd_unit>},
    {"no_cgroup", ReadBool<&ContainerState::set_no_cgroup>},
    {"rootfs", ReadString<ContainerState, &ContainerState::mutable_rootfs>},
    {"poststart_hooks", ReadBool<&ContainerState::set_poststart_hooks>},
    {"poststop_hooks", ReadBool<&ContainerState::set_poststop_hooks>},
    {"pid_namespace",
     ReadNested<PidNamespace, &ContainerState::mutable_pid_namespace, &kPidNamespaceFieldSpan>},
    {"intel_rdt", ReadBool<&ContainerState::set_intel_rdt>},
};

}  // namespace

// The text codec's pair for ContainerState (config::ReadCanonicalText finds
// them by argument-dependent lookup): ReadText reads leniently, WriteText
// writes as TextFormat prints.
bool ReadText(TextReader& reader, ContainerState& state) {
  return reader.ReadMessage(kStateFields, &state);
}

void WriteText(const ContainerState& state, config::TextWriter& writer) {
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
}

std::string StateText(const ContainerState& state) {
  std::string out;
  config::TextWriter writer(out);
  WriteText(state, writer);
  return out;
}

bool ParseStateText(absl::string_view text, ContainerState& state) {
  // StateText writes printable ASCII lines only.
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); })) {
    state.Clear();
    return false;
  }
  // The state file's header.
  while (absl::StartsWith(text, "#")) {
    const size_t end = text.find('\n');
    if (end == absl::string_view::npos) return false;
    text.remove_prefix(end + 1);
  }
  return config::ReadCanonicalText(text, state);
}

}  // namespace hull::statemachine
