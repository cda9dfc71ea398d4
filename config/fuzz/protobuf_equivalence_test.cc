// Hull reads config.json with its own reader (config/json_reader.h), which is
// stricter than protobuf's JSON parser. On every input this test has (the
// fuzz corpus, the full config, edge cases of nulls, maps and presence), what
// both accept must come out the same message, and what protobuf refuses Hull
// must refuse too.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/json.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/files.h"

namespace hull::config {
namespace {

using ::hull::testing::ReadFile;

std::vector<std::string> Inputs() {
  std::vector<std::string> inputs = {
      R"({"annotations": {"a": null, "b": "", "": "x"}})",
      R"({"linux": {"timeOffsets": {"monotonic": null, "boottime": {"secs": -1}}}})",
      R"({"linux": {"sysctl": {}, "netDevices": {"eth0": {}}}})",
      R"({"linux": {"sysctl": null, "resources": null}})",
      R"({"linux": {}, "process": {"args": [], "env": null}})",
      R"({"process": {"oomScoreAdj": 0, "user": {"uid": 0, "gid": 0, "umask": 0}}})",
      R"({"linux": {"resources": {"memory": {"swappiness": 0, "limit": -1},
                                  "cpu": {"shares": 18446744073709551615, "quota": 0}}}})",
      R"({"linux": {"uidMappings": [{}, {"containerID": 1, "host_id": 2, "size": 3}]}})",
      R"({"linux": {"namespaces": [{"type": "pid", "path": null}]}})",
      R"({"process": {"terminal": null, "noNewPrivileges": false}})",
      R"({"process": {"consoleSize": {"height": 0, "width": 0}}})",
      R"({"hostname": "", "mounts": [{"destination": "/x", "options": ["a", "b"]}]})",
      R"({"linux": {"seccomp": {"syscalls": [{"names": ["read"], "args": [{"index": 0}]}]}}})",
      R"({"hooks": {"prestart": [{"path": "/bin/true", "timeout": 5}]}, "x": [1, {"y": null}]})",
      R"({"process": {"env": ["\u00e9\ud83d\ude00", "a\"b\\c\/d\b\f\n\r\t"]}})",
  };
  for (const char* dir : {"config/fuzz/corpus/valid", "config/fuzz/corpus/malformed"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      inputs.push_back(ReadFile(entry.path().string()).value_or(""));
    }
  }
  inputs.push_back(ReadFile("config/testdata/full_config.json").value_or(""));
  return inputs;
}

std::string Text(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(message, &text);
  return text;
}

TEST(ProtobufEquivalenceTest, WhatBothAcceptIsTheSameMessage) {
  const std::vector<std::string> inputs = Inputs();
  ASSERT_GE(inputs.size(), 100u);
  int accepted_by_both = 0;
  for (const std::string& json : inputs) {
    const absl::StatusOr<Spec> read = ParseConfigJson(json, "config.json");
    Spec theirs;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto parsed = google::protobuf::util::JsonStringToMessage(json, &theirs, options);
    if (!parsed.ok()) {
      EXPECT_FALSE(read.ok()) << "protobuf refuses (" << parsed.message()
                              << ") what Hull accepts:\n"
                              << json;
      continue;
    }
    if (!read.ok()) continue;  // Hull's strictness
    ++accepted_by_both;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*read, theirs))
        << json << "\nHull:\n"
        << Text(*read) << "protobuf:\n"
        << Text(theirs);
  }
  EXPECT_GE(accepted_by_both, 20);
}

}  // namespace
}  // namespace hull::config
