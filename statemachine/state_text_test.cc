#include "statemachine/state_text.h"

#include <stdint.h>

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "testing/status_matchers.h"

namespace hull::statemachine {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kHeader[] =
    "# proto-file: statemachine/state.proto\n"
    "# proto-message: hull.statemachine.ContainerState\n";

// Every byte value, for escapes.
std::string AllBytes() {
  std::string bytes;
  for (int byte = 0; byte < 256; ++byte) bytes += static_cast<char>(byte);
  return bytes;
}

ContainerState EveryField() {
  ContainerState state;
  state.set_id("web-1");
  state.set_bundle("/srv/bundles/web");
  state.set_status(STATE_RUNNING);
  state.set_pid(4242);
  state.set_pid_start_time(987654);
  state.set_created_unix_nanos(1700000000123456789);
  state.mutable_owner()->set_uid(1000);
  state.mutable_owner()->set_user_name("alice");
  (*state.mutable_annotations())["zeta"] = "last";
  (*state.mutable_annotations())["alpha"] = "first";
  (*state.mutable_annotations())["mid"] = "";
  (*state.mutable_annotations())[""] = "empty key";
  (*state.mutable_cgroup_paths())["memory"] = "/sys/fs/cgroup/memory/web";
  (*state.mutable_cgroup_paths())[""] = "/sys/fs/cgroup/web";
  (*state.mutable_cgroup_paths())["cpu"] = "/sys/fs/cgroup/cpu/web";
  (*state.mutable_cgroup_created_paths())["pids"] = "/sys/fs/cgroup/pids/web";
  (*state.mutable_cgroup_created_paths())["blkio"] = "/sys/fs/cgroup/blkio/web";
  state.set_cgroup_systemd_unit("hull-web.scope");
  state.set_no_cgroup(true);
  state.set_rootfs("/srv/bundles/web/rootfs");
  state.set_poststart_hooks(true);
  state.set_poststop_hooks(true);
  state.mutable_pid_namespace()->set_kind(ContainerState::PidNamespace::KIND_JOINED);
  state.mutable_pid_namespace()->set_path("/proc/77/ns/pid");
  state.set_intel_rdt(true);
  return state;
}

std::vector<ContainerState> Corpus() {
  std::vector<ContainerState> corpus;
  corpus.push_back(ContainerState());
  corpus.push_back(EveryField());
  {
    ContainerState state;
    state.set_id("only-id");
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.mutable_owner()->Clear();  // set, empty: "owner {\n}\n"
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.mutable_owner()->clear_uid();
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.mutable_owner()->clear_user_name();
    corpus.push_back(state);
  }
  {
    ContainerState state;
    state.set_id("quote\"back\\slash'apostrophe");
    state.set_bundle("new\nline\rreturn\ttab\x01\x1f\x7f end");
    state.set_rootfs(AllBytes());
    state.set_cgroup_systemd_unit("\xc3\xa9t\xc3\xa9 \xff\x80");
    state.mutable_owner()->set_user_name(std::string("nul\0byte", 8));
    (*state.mutable_annotations())[AllBytes()] = AllBytes();
    (*state.mutable_annotations())["\xff"] = "high";
    (*state.mutable_annotations())["\x01"] = "low";
    (*state.mutable_annotations())["a\"b"] = "q";
    (*state.mutable_annotations())["a b"] = "s";
    (*state.mutable_annotations())["a\\b"] = "bs";
    corpus.push_back(state);
  }
  for (int32_t pid : {std::numeric_limits<int32_t>::min(), -1, 1, std::numeric_limits<int32_t>::max()}) {
    ContainerState state;
    state.set_pid(pid);
    state.set_created_unix_nanos(pid < 0 ? std::numeric_limits<int64_t>::min()
                                         : std::numeric_limits<int64_t>::max());
    state.set_pid_start_time(pid < 0 ? 1 : std::numeric_limits<uint64_t>::max());
    state.mutable_owner()->set_uid(pid < 0 ? 1 : std::numeric_limits<uint32_t>::max());
    corpus.push_back(state);
  }
  {
    ContainerState state;
    state.set_created_unix_nanos(-1);
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.set_poststart_hooks(false);  // set, false: printed
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.clear_poststart_hooks();
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.set_poststop_hooks(false);
    state.set_intel_rdt(false);
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.clear_poststop_hooks();
    state.clear_pid_namespace();
    state.clear_intel_rdt();
    corpus.push_back(state);
  }
  {
    ContainerState state = EveryField();
    state.mutable_pid_namespace()->Clear();  // set, empty: "pid_namespace {\n}\n"
    corpus.push_back(state);
  }
  {
    ContainerState state;
    state.set_id("x");
    state.mutable_pid_namespace()->set_path(AllBytes());  // a path without a kind
    corpus.push_back(state);
  }
  // Every named pid namespace kind, and numbers without a name.
  const google::protobuf::EnumDescriptor* kinds = ContainerState::PidNamespace::Kind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    ContainerState state = EveryField();
    state.mutable_pid_namespace()->set_kind(
        static_cast<ContainerState::PidNamespace::Kind>(kinds->value(i)->number()));
    state.mutable_pid_namespace()->clear_path();
    corpus.push_back(state);
  }
  for (int number : {4, -1, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()}) {
    ContainerState state;
    state.set_id("x");
    state.mutable_pid_namespace()->set_kind(static_cast<ContainerState::PidNamespace::Kind>(number));
    corpus.push_back(state);
  }
  // Every named status, and numbers without a name.
  const google::protobuf::EnumDescriptor* states = State_descriptor();
  for (int i = 0; i < states->value_count(); ++i) {
    ContainerState state = EveryField();
    state.set_status(static_cast<State>(states->value(i)->number()));
    corpus.push_back(state);
  }
  for (int number : {6, 99, -3, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()}) {
    ContainerState state;
    state.set_id("x");
    state.set_status(static_cast<State>(number));
    corpus.push_back(state);
  }
  return corpus;
}

std::string TextFormatText(const ContainerState& state) {
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(state, &text));
  return text;
}

TEST(StateTextTest, IsWhatTextFormatPrints) {
  for (const ContainerState& state : Corpus()) {
    EXPECT_EQ(StateText(state), TextFormatText(state)) << state.ShortDebugString();
  }
}

TEST(StateTextTest, LeavesTheConfigOut) {
  ContainerState state = EveryField();
  const std::string without = StateText(state);
  state.mutable_config()->set_oci_version("1.0.2");
  state.mutable_config()->mutable_process()->add_args("/bin/true");
  EXPECT_EQ(StateText(state), without);
}

TEST(StateTextTest, ParsesWhatItWrites) {
  for (const ContainerState& state : Corpus()) {
    const std::string text = StateText(state);
    for (const std::string& file : {text, kHeader + text}) {
      ContainerState parsed;
      parsed.set_pid(77);  // cleared first
      ASSERT_TRUE(ParseStateText(file, parsed)) << file;
      EXPECT_TRUE(MessageDifferencer::Equals(parsed, state)) << file;
    }
  }
}

TEST(StateTextTest, ParsesOnlyWhatTextFormatReadsTheSame) {
  // Every text one edit away from a canonical one: what ParseStateText
  // takes, TextFormat reads into the same state.
  const std::string edits = " \n\"\\#{}:0-a\x01\x80";
  int accepted = 0;
  for (const ContainerState& state : Corpus()) {
    const std::string text = StateText(state);
    std::vector<std::string> variants;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size()) variants.push_back(text.substr(0, i) + text.substr(i + 1));
      for (char edit : edits) {
        variants.push_back(text.substr(0, i) + edit + text.substr(i));
        if (i < text.size()) variants.push_back(text.substr(0, i) + edit + text.substr(i + 1));
      }
    }
    for (const std::string& variant : variants) {
      ContainerState parsed;
      if (!ParseStateText(variant, parsed)) continue;
      ++accepted;
      ContainerState expected;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(variant, &expected)) << variant;
      EXPECT_TRUE(MessageDifferencer::Equals(parsed, expected)) << variant;
    }
  }
  // Some edits keep the text canonical (another key, a digit): checked too.
  EXPECT_GT(accepted, 0);
}

// Texts TextFormat reads, that StateText would not have written.
const char* const kNotCanonical[] = {
    "status: STATE_CREATED\nid: \"web\"\n",           // order
    "id: \"web\"\nid: \"web\"\n",                      // twice: TextFormat refuses
    "id:\"web\"\nstatus: STATE_CREATED\n",             // spacing
    "id: \"web\"  \nstatus: STATE_CREATED\n",          // trailing space
    "id: \"web\" # comment\nstatus: STATE_CREATED\n",  // comment elsewhere
    "id: \"web\"\n# comment\nstatus: STATE_CREATED\n",
    "id: 'web'\nstatus: STATE_CREATED\n",              // quotes
    "id: \"w\" \"eb\"\nstatus: STATE_CREATED\n",       // concatenation
    "id: \"\\x77eb\"\nstatus: STATE_CREATED\n",        // other escape
    "id: \"\\167eb\"\nstatus: STATE_CREATED\n",
    "id: \"web\"\nstatus: 2\n",                        // number for a name
    "id: \"web\"\nstatus: 0\n",
    "id: \"web\"\nstatus: 06\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid: 0x10\n",  // hex
    "id: \"web\"\nstatus: STATE_CREATED\npid: +16\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid: 016\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid: 0\n",     // default printed
    "id: \"web\"\nbundle: \"\"\nstatus: STATE_CREATED\n",
    "id: \"web\"\nstatus: STATE_CREATED\nno_cgroup: false\n",
    "id: \"web\"\nstatus: STATE_CREATED\nno_cgroup: 1\n",
    "id: \"web\"\nstatus: STATE_CREATED\nno_cgroup: True\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner {}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner: {\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner <\n>\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner {\n  uid: 0\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner {\n  user_name: \"a\"\n  uid: 1\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nowner {\n uid: 1\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\npoststop_hooks: 1\n",
    "id: \"web\"\nstatus: STATE_CREATED\nintel_rdt: True\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid_namespace {\n  kind: 2\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid_namespace {\n  kind: KIND_UNSPECIFIED\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid_namespace {\n  path: \"\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\n"
    "pid_namespace {\n  path: \"/p\"\n  kind: KIND_JOINED\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nintel_rdt: true\npid_namespace {\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\npid_namespace {\n}\npoststop_hooks: true\n",
    "id: \"web\"\nstatus: STATE_CREATED\n"
    "annotations {\n  key: \"b\"\n  value: \"\"\n}\nannotations {\n  key: \"a\"\n  value: \"\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\n"
    "annotations {\n  key: \"a\"\n  value: \"1\"\n}\nannotations {\n  key: \"a\"\n  value: \"2\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nannotations {\n  key: \"a\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nannotations {\n  value: \"v\"\n  key: \"a\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\ncgroup_paths {\n  key: \"a\"\n  value: \"v\"\n}\n"
    "annotations {\n  key: \"a\"\n  value: \"v\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\nconfig {\n}\n",  // an old state file's config
    "id: \"web\"\nstatus: STATE_CREATED\nconfig {\n  oci_version: \"1.0.2\"\n}\n",
    "id: \"web\"\nstatus: STATE_CREATED\n1: \"web\"\n",
    "id: \"web\"\nstatus: STATE_CREATED",               // no final newline
    "\nid: \"web\"\nstatus: STATE_CREATED\n",
    "id: \"web\"\r\nstatus: STATE_CREATED\r\n",
    "id: \"web\"\n\tstatus: STATE_CREATED\n",
    "id: \"w\xc3\xa9\"\nstatus: STATE_CREATED\n",      // UTF-8, unescaped
    "# h\xc3\xa9\nid: \"web\"\nstatus: STATE_CREATED\n",
};

TEST(StateTextTest, RefusesWhatItWouldNotWriteAndTheStoreFallsBack) {
  for (absl::string_view text : kNotCanonical) {
    ContainerState parsed;
    EXPECT_FALSE(ParseStateText(text, parsed)) << text;
    ContainerState expected;
    if (!google::protobuf::TextFormat::ParseFromString(std::string(text), &expected)) {
      // TextFormat refuses it: so does the store.
      EXPECT_THAT(ParseStateFile(text, "state.textproto", "web"),
                  StatusIs(absl::StatusCode::kDataLoss, HasSubstr("corrupt state file state.textproto")))
          << text;
      continue;
    }
    const absl::StatusOr<ContainerState> loaded =
        ParseStateFile(absl::StrCat(kHeader, text), "state.textproto", "web");
    // The store's checks after parsing hold for both parsers.
    if (expected.id() != "web" || expected.status() == STATE_UNSPECIFIED ||
        !State_IsValid(expected.status()) || expected.pid() < 0) {
      EXPECT_THAT(loaded, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("state.textproto")))
          << text;
      continue;
    }
    ASSERT_THAT(loaded, IsOk()) << text;
    EXPECT_TRUE(MessageDifferencer::Equals(*loaded, expected)) << text;
  }
}

TEST(StateTextTest, RefusesGarbage) {
  for (absl::string_view text :
       {absl::string_view("garbage"), absl::string_view("id: \"web\"\nstatus: STATE_CREATED\n}\n"),
        absl::string_view("owner {\n"), absl::string_view("id: \"web\n"),
        absl::string_view("id: \"web\\\"\n"), absl::string_view("annotations {\n  key: \"a\"\n"),
        absl::string_view("pid: 99999999999\n"), absl::string_view("status: STATE_BOGUS\n"),
        absl::string_view("status: STATE_UNSPECIFIED\n"), absl::string_view("nope: 1\n"),
        absl::string_view("id: \"a\"\0\n", 9)}) {
    ContainerState parsed;
    EXPECT_FALSE(ParseStateText(text, parsed)) << text;
    EXPECT_THAT(ParseStateFile(text, "state.textproto", "web"),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("corrupt state file state.textproto")))
        << text;
  }
}

// The fields StateText prints and ParseStateText reads, by number; 11, the
// config, is in its own file. A field added to state.proto fails this test
// until the codec knows it.
TEST(StateTextTest, KnowsEveryField) {
  const std::set<int> handled = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};
  std::set<int> fields;
  const google::protobuf::Descriptor* descriptor = ContainerState::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) fields.insert(descriptor->field(i)->number());
  EXPECT_EQ(fields, handled);
  std::set<int> owner_fields;
  const google::protobuf::Descriptor* owner = ContainerState::Owner::descriptor();
  for (int i = 0; i < owner->field_count(); ++i) owner_fields.insert(owner->field(i)->number());
  EXPECT_EQ(owner_fields, (std::set<int>{1, 2}));
  std::set<int> pid_namespace_fields;
  const google::protobuf::Descriptor* pid_namespace = ContainerState::PidNamespace::descriptor();
  for (int i = 0; i < pid_namespace->field_count(); ++i) {
    pid_namespace_fields.insert(pid_namespace->field(i)->number());
  }
  EXPECT_EQ(pid_namespace_fields, (std::set<int>{1, 2}));
  EXPECT_EQ(pid_namespace->FindFieldByNumber(1)->enum_type(),
            ContainerState::PidNamespace::Kind_descriptor());
  // The types it prints them as.
  EXPECT_EQ(descriptor->FindFieldByNumber(3)->enum_type(), State_descriptor());
  EXPECT_EQ(descriptor->FindFieldByNumber(11)->message_type()->full_name(), "hull.config.Spec");
}

}  // namespace
}  // namespace hull::statemachine
