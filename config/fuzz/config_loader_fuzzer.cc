// Fuzz target for config.json loading: parse, validate, write, and check that
// what Hull writes reads back as the same config. Linked with libFuzzer under
// --config=fuzz, with replay_main.cc otherwise (see README.md).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "config/json.h"
#include "config/runtime_spec.pb.h"
#include "config/validator.h"
#include "google/protobuf/util/message_differencer.h"

namespace {

constexpr char kSource[] = "fuzz-input";

// A broken invariant is a finding: crash so that the fuzzer keeps the input.
void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "config_loader_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<hull::config::Spec> spec = hull::config::ParseConfigJson(json, kSource);
  if (!spec.ok()) {
    Require(absl::StartsWith(spec.status().message(), kSource), "error does not name the source");
    return 0;
  }
  hull::config::FindViolations(*spec);

  const absl::StatusOr<std::string> written = hull::config::ConfigToJson(*spec);
  Require(written.ok(), "a parsed config could not be written");
  const absl::StatusOr<hull::config::Spec> reread =
      hull::config::ParseConfigJson(*written, "written");
  Require(reread.ok(), "a written config could not be read back");
  Require(google::protobuf::util::MessageDifferencer::Equals(*spec, *reread),
          "a written config reads back differently");
  return 0;
}
