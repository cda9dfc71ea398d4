#include "config/json.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/validator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kFullConfig[] = "config/testdata/full_config.json";

std::string TempPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

absl::Status ParseError(absl::string_view json) {
  return ParseConfigJson(json, "config.json").status();
}

TEST(LoadConfigFileTest, LoadsEverySectionOfTheFullExample) {
  absl::StatusOr<Spec> spec = LoadConfigFile(kFullConfig);
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->oci_version(), "1.2.0");
  EXPECT_EQ(spec->process().args(2), "echo \"hello\" \\ \u00e9 \U0001F600");
  EXPECT_EQ(spec->process().user().umask(), 63u);
  EXPECT_EQ(spec->process().rlimits(0).hard(), 18446744073709551615u);
  EXPECT_EQ(spec->process().oom_score_adj(), -100);
  EXPECT_EQ(spec->process().io_priority().class_(), "IOPRIO_CLASS_IDLE");
  EXPECT_EQ(spec->mounts(2).uid_mappings(0).host_id(), 1000u);
  EXPECT_EQ(spec->hooks().poststart(0).timeout(), 5);
  EXPECT_EQ(spec->annotations().at("com.example.key2"), "value2");

  const Linux& linux = spec->linux();
  EXPECT_EQ(linux.uid_mappings(0).container_id(), 0u);
  EXPECT_EQ(linux.uid_mappings(0).size(), 32000u);
  EXPECT_EQ(linux.time_offsets().at("boottime").secs(), -3600);
  EXPECT_FALSE(linux.devices(2).has_major());
  EXPECT_EQ(linux.devices(0).file_mode(), 438u);
  EXPECT_FALSE(linux.resources().devices(0).has_major());
  EXPECT_EQ(linux.resources().memory().kernel_tcp(), -1);
  // Present-but-zero survives: absence would mean "leave the kernel default".
  EXPECT_TRUE(linux.resources().memory().has_swappiness());
  EXPECT_TRUE(linux.resources().memory().has_disable_oom_killer());
  EXPECT_TRUE(linux.resources().cpu().has_idle());
  EXPECT_EQ(linux.resources().block_io().throttle_read_iops_device(0).rate(), 200u);
  EXPECT_EQ(linux.resources().network().class_id(), 1048577u);
  EXPECT_FALSE(linux.resources().rdma().at("mlx4_0").has_hca_handles());
  EXPECT_EQ(linux.resources().unified().at("io.max"),
            "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120");
  EXPECT_EQ(linux.seccomp().syscalls(2).args(0).value(), 4294967295u);
  EXPECT_EQ(linux.seccomp().syscalls(3).errno_ret(), 38u);
  EXPECT_EQ(linux.intel_rdt().clos_id(), "guaranteed_group");
  EXPECT_TRUE(linux.intel_rdt().enable_cmt());
  EXPECT_EQ(linux.memory_policy().nodes(), "0-3,7");
  EXPECT_EQ(linux.net_devices().at("eth1").name(), "ctr1");
  EXPECT_TRUE(linux.net_devices().contains("eth2"));
}

// Valid by the spec: on a host with every security module, only what Hull
// does not implement yet is refused.
TEST(LoadConfigFileTest, FullExampleIsValid) {
  absl::StatusOr<Spec> spec = LoadConfigFile(kFullConfig);
  ASSERT_THAT(spec, IsOk());
  std::vector<std::string> refused;
  for (const Violation& violation : FindViolations(*spec, {.apparmor = true, .selinux = true})) {
    refused.push_back(ToString(violation));
  }
  EXPECT_THAT(refused,
              ElementsAre("windows: Windows only: Hull runs Linux containers",
                          "vm: for a runtime that runs the container in a virtual machine: Hull "
                          "runs it in namespaces of the host's kernel",
                          "linux.intelRdt.enableCMT: is not supported; use enableMonitoring",
                          "linux.intelRdt.enableMBM: is not supported; use enableMonitoring"));
}

TEST(LoadConfigFileTest, MissingFileNamesThePathAndTheError) {
  EXPECT_THAT(LoadConfigFile("/nonexistent/config.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "open /nonexistent/config.json: No such file or directory"));
}

TEST(LoadConfigFileTest, DirectoryIsRefused) {
  const std::string dir = TempPath("a_directory");
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  EXPECT_THAT(LoadConfigFile(dir), StatusIs(absl::StatusCode::kInvalidArgument,
                                            absl::StrCat("read ", dir, ": Is a directory")));
}

TEST(LoadConfigFileTest, FileLargerThanTheLimitIsRefusedUnread) {
  const std::string path = TempPath("huge.json");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, kMaxConfigBytes + 1), 0);  // sparse
  ::close(fd);
  EXPECT_THAT(LoadConfigFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat(path, ": too large (more than 16777216 bytes)")));
}

TEST(LoadConfigFileTest, EndlessFileIsRefused) {
  EXPECT_THAT(LoadConfigFile("/dev/zero"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
}

TEST(ParseConfigJsonTest, IgnoresUnknownFieldsAtEveryLevel) {
  absl::StatusOr<Spec> spec = ParseConfigJson(
      R"({"ociVersion": "1.2.0", "future": {"x": [1, {"y": null}]},
          "process": {"cwd": "/", "newThing": 3.5}})",
      "config.json");
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->process().cwd(), "/");
}

// Known to the spec, for other platforms: read for their presence, which
// the validator refuses; what they hold is skipped as unknown fields are.
TEST(ParseConfigJsonTest, OtherPlatformsSectionsAreThereAndNoMore) {
  absl::StatusOr<Spec> spec = ParseConfigJson(
      R"({"windows": {"layerFolders": ["layer1"], "hyperv": {}}, "vm": {"kernel": {"path": "/k"}},
          "solaris": null})",
      "config.json");
  ASSERT_THAT(spec, IsOk());
  EXPECT_TRUE(spec->has_windows());
  EXPECT_TRUE(spec->has_vm());
  EXPECT_FALSE(spec->has_solaris());
  EXPECT_FALSE(spec->has_zos());
}

TEST(ParseConfigJsonTest, NullLeavesAFieldUnset) {
  absl::StatusOr<Spec> spec = ParseConfigJson(
      R"({"process": {"oomScoreAdj": null, "args": null}, "linux": null})", "config.json");
  ASSERT_THAT(spec, IsOk());
  EXPECT_FALSE(spec->process().has_oom_score_adj());
  EXPECT_FALSE(spec->has_linux());
}

TEST(ParseConfigJsonTest, KeepsIntegersExact) {
  absl::StatusOr<Spec> spec = ParseConfigJson(
      R"({"linux": {"resources": {"memory": {"limit": 9223372036854775807, "swap": -1},
                                  "cpu": {"shares": 18446744073709551615}}}})",
      "config.json");
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->linux().resources().memory().limit(), 9223372036854775807);
  EXPECT_EQ(spec->linux().resources().memory().swap(), -1);
  EXPECT_EQ(spec->linux().resources().cpu().shares(), 18446744073709551615u);
}

TEST(ParseConfigJsonTest, EmptyInput) {
  EXPECT_THAT(ParseError(""),
              StatusIs(absl::StatusCode::kInvalidArgument, "config.json: empty file"));
  EXPECT_THAT(ParseError(" \n"), StatusIs(absl::StatusCode::kInvalidArgument,
                                          "config.json:2:1: invalid JSON: the document is empty"));
}

TEST(ParseConfigJsonTest, TooLargeInput) {
  const std::string json =
      absl::StrCat("{\"hostname\": \"", std::string(kMaxConfigBytes, 'a'), "\"}");
  EXPECT_THAT(ParseError(json), StatusIs(absl::StatusCode::kInvalidArgument,
                                         StartsWith("config.json: too large (16777232 bytes; the "
                                                    "limit is 16777216)")));
}

TEST(ParseConfigJsonTest, SyntaxErrorsNameLineAndColumn) {
  EXPECT_THAT(ParseError("{\n  \"ociVersion\": \"1.2.0\"\n  \"hostname\": \"h\"\n}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:3:3: invalid JSON: unexpected '\"', expected ',' or '}' in an "
                       "object"));
  EXPECT_THAT(ParseError(R"({"process": {"args": ["sh", )"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:29: process.args[1]: invalid JSON: unexpected end of input, "
                       "expected a value"));
  EXPECT_THAT(ParseError("{} x"), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "config.json:1:4: invalid JSON: unexpected data after "
                                           "the top-level object"));
}

TEST(ParseConfigJsonTest, TopLevelMustBeAnObject) {
  EXPECT_THAT(ParseError(R"("hello")"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:1: the document must be a JSON object, not a string"));
  EXPECT_THAT(ParseError("[]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:1: the document must be a JSON object, not an array"));
}

TEST(ParseConfigJsonTest, DuplicateKeys) {
  EXPECT_THAT(ParseError(R"({"linux": {"uidMappings": [{"hostID": 1, "hostID": 2}]}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:42: linux.uidMappings[0]: duplicate key \"hostID\""));
  EXPECT_THAT(
      ParseError(R"({"hostname": "a", "host\u006eame": "b"})"),
      StatusIs(absl::StatusCode::kInvalidArgument, "config.json:1:19: duplicate key \"hostname\""));
  EXPECT_THAT(ParseError(R"({"linux": {"sysctl": {"a.b": "1", "a.b": "2"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:35: linux.sysctl: duplicate key \"a.b\""));
}

TEST(ParseConfigJsonTest, SameFieldUnderItsTwoNames) {
  EXPECT_THAT(ParseError(R"({"process": {"oom_score_adj": 1, "oomScoreAdj": 2}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("process: \"oomScoreAdj\" is given twice (as \"oomScoreAdj\" "
                                 "and \"oom_score_adj\")")));
}

TEST(ParseConfigJsonTest, ValuesOfTheWrongKind) {
  EXPECT_THAT(ParseError(R"({"process": {"user": {"uid": "12"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:30: process.user.uid: expected an integer, got a string"));
  EXPECT_THAT(ParseError(R"({"process": {"args": "sh"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:22: process.args: expected an array, got a string"));
  EXPECT_THAT(ParseError(R"({"process": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:13: process: expected an object, got an array"));
  EXPECT_THAT(ParseError(R"({"process": {"args": [["sh"]]}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:23: process.args[0]: expected a string, got an array"));
  EXPECT_THAT(ParseError(R"({"root": {"readonly": "true"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:23: root.readonly: expected true or false, got a string"));
  EXPECT_THAT(ParseError(R"({"linux": {"uidMappings": [null]}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:28: linux.uidMappings[0]: null is not allowed in a list"));
  EXPECT_THAT(ParseError(R"({"linux": {"timeOffsets": {"boottime": 5}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:40: linux.timeOffsets[\"boottime\"]: expected an object, got "
                       "a number"));
}

TEST(ParseConfigJsonTest, IntegersOutOfRange) {
  EXPECT_THAT(ParseError(R"({"linux": {"uidMappings": [{"hostID": 4294967296}]}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:39: linux.uidMappings[0].hostID: 4294967296 is out of range "
                       "for uint32 (0 to 4294967295)"));
  EXPECT_THAT(ParseError(R"({"process": {"user": {"uid": -1}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("process.user.uid: -1 is out of range for uint32")));
  EXPECT_THAT(ParseError(R"({"linux": {"resources": {"memory": {"limit": 9223372036854775808}}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.limit: 9223372036854775808 is out of "
                                 "range for int64 (-9223372036854775808 to 9223372036854775807)")));
  EXPECT_THAT(ParseError(R"({"linux": {"resources": {"memory": {"limit": 1.5}}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.limit: expected an integer, got 1.5")));
  EXPECT_THAT(
      ParseError(R"({"x": 1e400})"),
      StatusIs(absl::StatusCode::kInvalidArgument, "config.json:1:7: number out of range: 1e400"));
}

TEST(ParseConfigJsonTest, NestingIsBounded) {
  const auto nested = [](int depth) {
    return absl::StrCat("{\"x\": ", std::string(depth - 1, '['), std::string(depth - 1, ']'), "}");
  };
  EXPECT_THAT(ParseConfigJson(nested(100), "config.json"), IsOk());
  EXPECT_THAT(ParseError(nested(101)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:106: nesting deeper than 100 levels"));
  EXPECT_THAT(
      ParseError(absl::StrCat("{\"x\": ", std::string(1'000'000, '['))),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nesting deeper than 100 levels")));
}

TEST(ParseConfigJsonTest, BadText) {
  EXPECT_THAT(ParseError("{\"hostname\": \"caf\xff\"}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:18: hostname: string is not valid UTF-8"));
  EXPECT_THAT(ParseError(R"({"root": {"path": "rootfs\u0000/etc"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("root.path: strings must not contain NUL characters (\\u0000)")));
  EXPECT_THAT(ParseError(std::string("{\"hostname\": \"a\0b\"}", 19)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:16: hostname: invalid JSON: NUL byte in string"));
  EXPECT_THAT(ParseError(R"({"hostname": "\ud800"})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unpaired UTF-16 surrogate escape in string")));
  EXPECT_THAT(ParseError("\xef\xbb\xbf{}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "config.json:1:1: invalid JSON: unexpected byte 0xef, expected '{'"));
}

TEST(ConfigToJsonTest, RoundTripOfTheFullExampleIsIdentical) {
  absl::StatusOr<Spec> original = LoadConfigFile(kFullConfig);
  ASSERT_THAT(original, IsOk());
  absl::StatusOr<std::string> json = ConfigToJson(*original);
  ASSERT_THAT(json, IsOk());
  absl::StatusOr<Spec> reparsed = ParseConfigJson(*json, "written");
  ASSERT_THAT(reparsed, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*original, *reparsed));
  EXPECT_THAT(ConfigToJson(*reparsed), ::hull::testing::IsOkAndHolds(*json));
}

TEST(ConfigToJsonTest, WritesSpecNamesAndNumbers) {
  Spec spec;
  spec.set_oci_version("1.2.0");
  IdMapping& mapping = *spec.mutable_linux()->add_uid_mappings();
  mapping.set_host_id(1000);
  mapping.set_size(1);
  spec.mutable_linux()->mutable_resources()->mutable_memory()->set_limit(-1);
  spec.mutable_linux()->mutable_resources()->mutable_memory()->set_swappiness(0);
  (*spec.mutable_annotations())["b"] = "2";
  (*spec.mutable_annotations())["a"] = "tab\there \"quoted\"";
  EXPECT_THAT(ConfigToJson(spec), ::hull::testing::IsOkAndHolds(R"({
  "ociVersion": "1.2.0",
  "annotations": {
    "a": "tab\there \"quoted\"",
    "b": "2"
  },
  "linux": {
    "uidMappings": [
      {
        "containerID": 0,
        "hostID": 1000,
        "size": 1
      }
    ],
    "resources": {
      "memory": {
        "limit": -1,
        "swappiness": 0
      }
    }
  }
})"));
}

TEST(ConfigToJsonTest, EmptyMessagesAreEmptyObjects) {
  Spec spec;
  spec.mutable_linux();
  EXPECT_THAT(ConfigToJson(spec), ::hull::testing::IsOkAndHolds("{\n  \"linux\": {}\n}"));
  EXPECT_THAT(ConfigToJson(Spec()), ::hull::testing::IsOkAndHolds("{}"));
}

TEST(ConfigToJsonTest, RefusesStringsThatAreNotUtf8) {
  Spec spec;
  spec.mutable_process()->add_args("ok");
  spec.mutable_process()->add_args("\xff");
  EXPECT_THAT(ConfigToJson(spec), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "process.args[1]: string is not valid UTF-8"));
}

TEST(ParseResourcesJsonTest, ParsesWhatUpdateReads) {
  absl::StatusOr<Resources> resources = ParseResourcesJson(
      R"({"memory": {"limit": 104857600, "swap": -1}, "pids": {"limit": 64},
          "cpu": {"shares": 512}})",
      "update.json");
  ASSERT_TRUE(resources.ok()) << resources.status();
  EXPECT_EQ(resources->memory().limit(), 104857600);
  EXPECT_EQ(resources->memory().swap(), -1);
  EXPECT_EQ(resources->pids().limit(), 64);
  EXPECT_EQ(resources->cpu().shares(), 512u);
}

TEST(ParseResourcesJsonTest, ChecksTypesAgainstTheResourcesSchema) {
  EXPECT_THAT(ParseResourcesJson(R"({"pids": {"limit": "many"}})", "update.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("update.json:"), HasSubstr("pids.limit"))));
  EXPECT_THAT(ParseResourcesJson("", "-"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("-: empty")));
}

TEST(ParseProcessJsonTest, ParsesWhatExecReads) {
  absl::StatusOr<Process> process = ParseProcessJson(
      R"({"terminal": false, "user": {"uid": 1000, "gid": 100}, "args": ["sh", "-c", "id"],
          "env": ["A=1"], "cwd": "/tmp", "noNewPrivileges": true})",
      "process.json");
  ASSERT_TRUE(process.ok()) << process.status();
  EXPECT_EQ(process->user().uid(), 1000u);
  EXPECT_THAT(process->args(), ElementsAre("sh", "-c", "id"));
  EXPECT_EQ(process->cwd(), "/tmp");
  EXPECT_TRUE(process->no_new_privileges());
  EXPECT_THAT(ParseProcessJson(R"({"args": "sh"})", "process.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("process.json:"), HasSubstr("args"))));
}

}  // namespace
}  // namespace hull::config
