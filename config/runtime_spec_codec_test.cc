// The generated codec against protobuf's own reflection: WriteText prints what
// TextFormat prints, and the JSON reader knows every field of the schema by
// its JSON name.
#include "config/runtime_spec_codec.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "config/json.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::hull::testing::IsOk;

std::string TextFormatOf(const Message& message) {
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(message, &text));
  return text;
}

std::string WrittenText(const Spec& spec) {
  std::string text;
  TextWriter writer(text);
  WriteText(spec, writer);
  return text;
}

// Sets every field of `message` (and of its messages, `depth` levels down)
// to `variant`-dependent values: variant 0 uses each type's zero value
// (which fields with presence still print), others non-zero ones and
// strings that need escaping. Lists get two elements; maps two entries, one
// with an empty key.
void FillEveryField(Message& message, int variant, int depth = 0) {
  const Reflection& reflection = *message.GetReflection();
  const auto string_value = [&](const FieldDescriptor& field, int element) {
    if (variant == 0) return std::string();
    return absl::StrCat(field.name(), element, " \"quoted\" \\ \n\t\x01\xc3\xa9\xff");
  };
  for (int i = 0; i < message.GetDescriptor()->field_count(); ++i) {
    const FieldDescriptor& field = *message.GetDescriptor()->field(i);
    const int elements = field.is_repeated() ? 2 : 1;
    for (int element = 0; element < elements; ++element) {
      const bool add = field.is_repeated();
      if (field.is_map()) {
        Message& entry = *reflection.AddMessage(&message, &field);
        const FieldDescriptor& key = *entry.GetDescriptor()->map_key();
        entry.GetReflection()->SetString(&entry, &key, element == 0 ? "" : "key \x7f");
        const FieldDescriptor& value = *entry.GetDescriptor()->map_value();
        if (value.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          entry.GetReflection()->SetString(&entry, &value, string_value(value, element));
        } else if (depth < 3 && element == 1) {
          FillEveryField(*entry.GetReflection()->MutableMessage(&entry, &value), variant,
                         depth + 1);
        } else {
          entry.GetReflection()->MutableMessage(&entry, &value);  // an empty one
        }
        continue;
      }
      const int64_t number = variant == 0 ? 0 : variant * 1000 + i * 10 + element;
      switch (field.cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          Message& value = add ? *reflection.AddMessage(&message, &field)
                               : *reflection.MutableMessage(&message, &field);
          if (depth < 3) FillEveryField(value, variant, depth + 1);
          break;
        }
        case FieldDescriptor::CPPTYPE_STRING:
          add ? reflection.AddString(&message, &field, string_value(field, element))
              : reflection.SetString(&message, &field, string_value(field, element));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          add ? reflection.AddBool(&message, &field, variant != 0)
              : reflection.SetBool(&message, &field, variant != 0);
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          add ? reflection.AddInt32(&message, &field, static_cast<int32_t>(-number))
              : reflection.SetInt32(&message, &field, static_cast<int32_t>(-number));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          add ? reflection.AddInt64(&message, &field, -number - (int64_t{1} << 40))
              : reflection.SetInt64(&message, &field, -number - (int64_t{1} << 40));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          add ? reflection.AddUInt32(&message, &field, static_cast<uint32_t>(number) + 4e9)
              : reflection.SetUInt32(&message, &field, static_cast<uint32_t>(number) + 4e9);
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          add ? reflection.AddUInt64(&message, &field, ~uint64_t{0} - number)
              : reflection.SetUInt64(&message, &field, ~uint64_t{0} - number);
          break;
        default:
          FAIL() << field.full_name() << " has a type this test does not fill";
      }
    }
  }
}

TEST(RuntimeSpecCodecTest, WritesWhatTextFormatPrintsForEveryField) {
  for (const int variant : {0, 1, 2}) {
    Spec spec;
    FillEveryField(spec, variant);
    const std::string text = WrittenText(spec);
    EXPECT_EQ(text, TextFormatOf(spec)) << "variant " << variant;
    // Every field is in it: the filled message is not a sparse one.
    EXPECT_GT(text.size(), variant == 0 ? 1000u : 10000u);
  }
}

TEST(RuntimeSpecCodecTest, WritesWhatTextFormatPrintsForAnEmptyAndAFullConfig) {
  EXPECT_EQ(WrittenText(Spec()), "");
  const absl::StatusOr<Spec> full = LoadConfigFile("config/testdata/full_config.json");
  ASSERT_THAT(full, IsOk());
  ASSERT_TRUE(full->has_linux());
  EXPECT_EQ(WrittenText(*full), TextFormatOf(*full));
}

TEST(RuntimeSpecCodecTest, ReadsEveryFieldByItsJsonName) {
  for (const int variant : {0, 1}) {
    Spec spec;
    FillEveryField(spec, variant);
    // The reader refuses strings that are not UTF-8; the writer too.
    std::string text = TextFormatOf(spec);
    Spec valid;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        absl::StrReplaceAll(text, {{"\\377", ""}}), &valid));
    const absl::StatusOr<std::string> json = ConfigToJson(valid);
    ASSERT_THAT(json, IsOk());
    const absl::StatusOr<Spec> read = ParseConfigJson(*json, "config.json");
    ASSERT_THAT(read, IsOk());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*read, valid))
        << "variant " << variant << ":\n"
        << TextFormatOf(*read) << "\nwanted:\n"
        << TextFormatOf(valid);
  }
}

TEST(RuntimeSpecCodecTest, ReadsBackWhatItWritesForEveryField) {
  for (const int variant : {0, 1, 2}) {
    Spec spec;
    FillEveryField(spec, variant);
    Spec read;
    ASSERT_TRUE(ReadCanonicalText(WrittenText(spec), read)) << "variant " << variant;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read, spec))
        << "variant " << variant << ":\n"
        << TextFormatOf(read);
  }
  Spec empty;
  empty.set_hostname("stale");
  EXPECT_TRUE(ReadCanonicalText("", empty));
  EXPECT_EQ(empty.hostname(), "");
}

TEST(RuntimeSpecCodecTest, RefusesTextInAnyOtherForm) {
  Spec spec;
  spec.set_hostname("box");
  spec.mutable_process()->add_args("sh");
  (*spec.mutable_annotations())["a"] = "b";
  ASSERT_EQ(WrittenText(spec),
            "process {\n  args: \"sh\"\n}\nhostname: \"box\"\nannotations {\n  key: \"a\"\n"
            "  value: \"b\"\n}\n");
  Spec read;
  for (const char* text : {
           // TextFormat reads each of these; none is what TextWriter writes.
           "hostname: \"box\"\nprocess {\n  args: \"sh\"\n}\n",  // field order
           "process {\n  args: \"sh\"\n}\nhostname: \"box\"",     // no final newline
           "process {\n    args: \"sh\"\n}\n",                     // indentation
           "process { args: \"sh\" }\n",                            // one line
           "# comment\nhostname: \"box\"\n",
           "hostname: 'box'\n",
           "hostname: \"\"\n",  // a default value written out
           "hostname: \"a\"\nhostname: \"box\"\n",
           "process {\n  terminal: 1\n}\n",
           "process {\n  user {\n    uid: 007\n  }\n}\n",
           "annotations {\n  value: \"b\"\n  key: \"a\"\n}\n",
           "annotations {\n  key: \"b\"\n  value: \"\"\n}\nannotations {\n  key: \"a\"\n"
           "  value: \"\"\n}\n",  // map order
           // Nor are these, which TextFormat refuses.
           "hostname: \"box\"\nno_such_field: 1\n",
           "process {\n  args: \"sh\"\n",
           "}\n",
           "process: \"sh\"\n",
           "process {\n  terminal: \"true\"\n}\n",
           "process {\n  user {\n    uid: -1\n  }\n}\n",
           "hostname: \"\\q\"\n",
       }) {
    EXPECT_FALSE(ReadCanonicalText(text, read)) << text;
  }
}

// Every one-byte change of a written config is either refused, or read as
// TextFormat reads it.
TEST(RuntimeSpecCodecTest, ReadsAChangedTextAsTextFormatDoesOrNotAtAll) {
  const absl::StatusOr<Spec> full = LoadConfigFile("config/testdata/full_config.json");
  ASSERT_THAT(full, IsOk());
  const std::string lines = WrittenText(*full);
  int read_the_same = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    for (const char replacement : {'1', ' ', '"', '}', 'x'}) {
      if (lines[i] == replacement) continue;
      std::string changed = lines;
      changed[i] = replacement;
      Spec ours;
      if (!ReadCanonicalText(changed, ours)) continue;
      Spec theirs;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(changed, &theirs)) << changed;
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ours, theirs)) << changed;
      ++read_the_same;
    }
  }
  // Digits changed into digits, letters of strings: some edits keep the form.
  EXPECT_GT(read_the_same, 100);
}

}  // namespace
}  // namespace hull::config
