// Fuzz target for state file loading: parse a state file as `hull` reads
// <root>/<id>/state.textproto, and check that what it accepts is a state Save
// would write and that the written text reads back as the same state. Linked
// with libFuzzer under --config=fuzz, with //config/fuzz:replay_main
// otherwise (see README.md).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/message_differencer.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"

namespace {

constexpr char kPath[] = "fuzz-input";
// The corpus's states are container "fuzz"'s.
constexpr char kId[] = "fuzz";

// A broken invariant is a finding: crash so that the fuzzer keeps the input.
void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "state_loader_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using hull::statemachine::ContainerState;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<ContainerState> state = hull::statemachine::ParseStateFile(text, kPath, kId);
  if (!state.ok()) {
    Require(state.status().code() == absl::StatusCode::kDataLoss, "error is not DataLoss");
    Require(absl::StrContains(state.status().message(), kPath), "error does not name the file");
    return 0;
  }
  Require(state->id() == kId, "accepted another container's state");
  Require(state->status() != hull::statemachine::STATE_UNSPECIFIED, "accepted no status");
  Require(state->pid() >= 0, "accepted a negative pid");

  const std::string written = hull::statemachine::StateFileText(*state);
  const absl::StatusOr<ContainerState> reread =
      hull::statemachine::ParseStateFile(written, "written", kId);
  Require(reread.ok(), "a written state could not be read back");
  Require(google::protobuf::util::MessageDifferencer::Equals(*state, *reread),
          "a written state reads back differently");
  return 0;
}
