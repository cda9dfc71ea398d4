#ifndef HULL_STATEMACHINE_STATE_TEXT_H_
#define HULL_STATEMACHINE_STATE_TEXT_H_

// The text form of a ContainerState without its config, read and written
// through generated accessors only: TextFormat needs the descriptors of
// state.proto and of runtime_spec.proto, which it imports, and building them
// was most of the CPU time of a `hull state`. The state store falls back to
// TextFormat for any text ParseStateText does not take.

#include <string>

#include "absl/strings/string_view.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {

// What google::protobuf::TextFormat::PrintToString prints for `state` with its
// config cleared, byte for byte (the config is not printed). A state has no
// unknown fields in Hull: it is never parsed from the wire, and the text
// parser refuses them.
std::string StateText(const ContainerState& state);

// Reads into `state` (which it clears first) a text exactly as StateText
// writes it, optionally after lines starting with '#' (the state file's
// header). False for any other text, even one TextFormat would read: other
// field orders or spacing, comments elsewhere, unknown fields or a config,
// other escapes, bytes outside printable ASCII; `state` is then unspecified
// and the caller parses with TextFormat.
bool ParseStateText(absl::string_view text, ContainerState& state);

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_STATE_TEXT_H_
