// Generates runtime_spec_codec.{h,cc}: for every message of runtime_spec.proto,
// a JSON reader (the fields' table for config::JsonReader) and a text format
// writer, both through the generated accessors, so that reading config.json
// and writing config.textproto build no descriptors (see json_reader.h).
//
// It runs at build time and uses the descriptors itself: of the schema
// compiled into it, which is the one the generated code is compiled against.
//
// Usage: codec_generator <header path> <source path> <header include path>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

namespace hull::config {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptor;

// "::hull::config::Spec" for hull.config.Spec (nested types join with '_').
std::string ClassName(const Descriptor& message) {
  std::string name = message.name();
  for (const Descriptor* outer = message.containing_type(); outer != nullptr;
       outer = outer->containing_type()) {
    name = absl::StrCat(outer->name(), "_", name);
  }
  return absl::StrCat("::", absl::StrReplaceAll(message.file()->package(), {{".", "::"}}),
                      "::", name);
}

// The accessors' base name: protoc appends '_' to a C++ keyword.
std::string AccessorName(const FieldDescriptor& field) {
  static const auto* const kKeywords = new absl::flat_hash_set<std::string>{
      "alignas",   "alignof",  "and",      "asm",       "auto",      "bool",     "break",
      "case",      "catch",    "char",     "class",     "const",     "continue", "default",
      "delete",    "do",       "double",   "else",      "enum",      "explicit", "export",
      "extern",    "false",    "float",    "for",       "friend",    "goto",     "if",
      "inline",    "int",      "long",     "mutable",   "namespace", "new",      "not",
      "operator",  "or",       "private",  "protected", "public",    "register", "return",
      "short",     "signed",   "sizeof",   "static",    "struct",    "switch",   "template",
      "this",      "throw",    "true",     "try",       "typedef",   "typeid",   "typename",
      "union",     "unsigned", "using",    "virtual",   "void",      "volatile", "while",
      "xor"};
  return kKeywords->contains(field.name()) ? absl::StrCat(field.name(), "_") : field.name();
}

// The C++ type JsonReader::ReadInteger reads a scalar field's values into.
std::string IntegerType(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return "int32_t";
    case FieldDescriptor::CPPTYPE_INT64:
      return "int64_t";
    case FieldDescriptor::CPPTYPE_UINT32:
      return "uint32_t";
    case FieldDescriptor::CPPTYPE_UINT64:
      return "uint64_t";
    default:
      return "";
  }
}

bool IsSigned(const FieldDescriptor& field) {
  return field.cpp_type() == FieldDescriptor::CPPTYPE_INT32 ||
         field.cpp_type() == FieldDescriptor::CPPTYPE_INT64;
}

// Refuses what the generated code does not handle (the spec has none).
bool Supported(const FieldDescriptor& field, std::string& problem) {
  const FieldDescriptor* value = &field;
  if (field.is_map()) {
    if (field.message_type()->map_key()->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      problem = "a map key that is not a string";
      return false;
    }
    value = field.message_type()->map_value();
  }
  switch (value->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
    case FieldDescriptor::CPPTYPE_STRING:
    case FieldDescriptor::CPPTYPE_BOOL:
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      if (field.is_map() && value->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
          value->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
        problem = "a map value that is neither a string nor a message";
        return false;
      }
      return true;
    default:
      problem = absl::StrCat("a field of type ", value->cpp_type_name());
      return false;
  }
}

// Statements that read one value of `field` (of `value` type, which is the
// field itself or a map's value) into `target`, an lvalue of its C++ type,
// at depth `depth`; the value is on the reader's cursor.
std::string ReadInto(const FieldDescriptor& value, const std::string& target,
                     const std::string& depth) {
  switch (value.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::StrCat("return ReadJsonObject(reader, ", depth, ", ", target, ");");
    case FieldDescriptor::CPPTYPE_STRING:
      return absl::StrCat("return reader.ReadString(", target, ");");
    default:
      return "";
  }
}

// The body of a field's `read` function: `m` is the message, `depth` the
// value's depth.
std::string FieldReadBody(const FieldDescriptor& field) {
  const std::string name = AccessorName(field);
  if (field.is_map()) {
    const FieldDescriptor& value = *field.message_type()->map_value();
    const bool message_value = value.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    return absl::StrCat(
        "return reader.ReadMap(depth, [&](const std::string& key, bool has_value, int",
        message_value ? " entry_depth" : "", ") -> absl::Status {\n"
        "        auto& value = (*m.mutable_",
        name,
        "())[key];\n"
        "        if (!has_value) return absl::OkStatus();\n"
        "        ",
        ReadInto(value, "value", "entry_depth"), "\n      });");
  }
  const bool is_scalar = field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
                         field.cpp_type() != FieldDescriptor::CPPTYPE_STRING;
  const std::string scalar_type =
      field.cpp_type() == FieldDescriptor::CPPTYPE_BOOL ? "bool" : IntegerType(field);
  const std::string read_scalar = absl::StrCat(
      scalar_type, " value;\n        ",
      field.cpp_type() == FieldDescriptor::CPPTYPE_BOOL ? "RETURN_IF_ERROR(reader.ReadBool(value));"
                                                        : "RETURN_IF_ERROR(reader.ReadInteger(value));");
  if (field.is_repeated()) {
    const std::string element =
        is_scalar ? absl::StrCat(read_scalar, "\n        m.add_", name,
                                 "(value);\n        return absl::OkStatus();")
                  : ReadInto(field, absl::StrCat("*m.add_", name, "()"), "element_depth");
    return absl::StrCat("return reader.ReadList(depth, [&](int",
                        is_scalar || field.cpp_type() == FieldDescriptor::CPPTYPE_STRING
                            ? ""
                            : " element_depth",
                        ") -> absl::Status {\n        ", element, "\n      });");
  }
  if (is_scalar) {
    return absl::StrCat(absl::StrReplaceAll(read_scalar, {{"\n        ", "\n      "}}),
                        "\n      m.set_", name, "(value);\n      return absl::OkStatus();");
  }
  return ReadInto(field, absl::StrCat("*m.mutable_", name, "()"), "depth");
}

// "kSpecJsonFields", "kOuter_InnerTextFields".
std::string FieldsTableName(const Descriptor& message, absl::string_view format) {
  const std::string name = ClassName(message);
  return absl::StrCat("k", name.substr(name.rfind("::") + 2), format, "Fields");
}

// The fields argument of a message's ReadMessage: its table, or none for a
// message without fields (read for its presence alone).
std::string FieldsArgument(const Descriptor& message, absl::string_view format) {
  return message.field_count() == 0 ? "{}" : FieldsTableName(message, format);
}

std::string JsonReaderCode(const Descriptor& message) {
  if (message.field_count() == 0) return "";
  const std::string type = ClassName(message);
  std::string code =
      absl::StrCat("constexpr JsonField ", FieldsTableName(message, "Json"), "[] = {\n");
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    const bool uses_depth =
        field.is_repeated() || field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    absl::StrAppend(&code, "    {\"", field.json_name(), "\", \"", field.name(), "\",\n",
                    "     [](JsonReader& reader, int", uses_depth ? " depth" : "",
                    ", void* message) -> absl::Status {\n",
                    "      auto& m = *static_cast<", type, "*>(message);\n      ",
                    FieldReadBody(field), "\n    }},\n");
  }
  absl::StrAppend(&code, "};\n\n");
  return code;
}

std::string JsonReaderFunction(const Descriptor& message) {
  return absl::StrCat("absl::Status ReadJsonObject(JsonReader& reader, int depth, ",
                      ClassName(message), "& message) {\n  return reader.ReadMessage(",
                      FieldsArgument(message, "Json"), ", depth, &message);\n}\n\n");
}

// Statements that read the current line, a value of `value` type (the field
// itself or a map's value), into `target`, an lvalue of its C++ type.
std::string ReadTextInto(const FieldDescriptor& value, const std::string& target) {
  switch (value.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::StrCat("return ReadText(reader, ", target, ");");
    case FieldDescriptor::CPPTYPE_STRING:
      return absl::StrCat("return reader.ReadString(", target, ");");
    default: {
      const std::string type =
          value.cpp_type() == FieldDescriptor::CPPTYPE_BOOL ? "bool" : IntegerType(value);
      return absl::StrCat(type, " value;\n      if (!reader.",
                          type == "bool" ? "ReadBool" : "ReadInteger",
                          "(value)) return false;\n      ", target, "(value);\n      return true;");
    }
  }
}

std::string TextReaderCode(const Descriptor& message) {
  if (message.field_count() == 0) return "";
  const std::string type = ClassName(message);
  std::string code = absl::StrCat("constexpr TextField ", FieldsTableName(message, "Text"),
                                  "[] = {\n");
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    const std::string name = AccessorName(field);
    const bool is_scalar = field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
                           field.cpp_type() != FieldDescriptor::CPPTYPE_STRING;
    std::string body;
    if (field.is_map()) {
      body = absl::StrCat(
          "return reader.ReadMapEntry([&](const std::string& key) {\n        ",
          absl::StrReplaceAll(ReadTextInto(*field.message_type()->map_value(),
                                           absl::StrCat("(*m.mutable_", name, "())[key]")),
                              {{"\n      ", "\n        "}}),
          "\n      });");
    } else if (field.is_repeated()) {
      body = ReadTextInto(field, is_scalar ? absl::StrCat("m.add_", name)
                                           : absl::StrCat("*m.add_", name, "()"));
    } else {
      body = ReadTextInto(field, is_scalar ? absl::StrCat("m.set_", name)
                                           : absl::StrCat("*m.mutable_", name, "()"));
    }
    absl::StrAppend(&code, "    {\"", field.name(), "\",\n",
                    "     [](TextReader& reader, void* message) -> bool {\n",
                    "      auto& m = *static_cast<", type, "*>(message);\n      ", body,
                    "\n    }},\n");
  }
  absl::StrAppend(&code, "};\n\n");
  return code;
}

std::string TextReaderFunction(const Descriptor& message) {
  return absl::StrCat("bool ReadText(TextReader& reader, ", ClassName(message),
                      "& message) {\n  return reader.ReadMessage(",
                      FieldsArgument(message, "Text"), ", &message);\n}\n\n");
}

// Statements that write one value `value` (an expression) of `field`.
std::string WriteValue(const FieldDescriptor& field, const std::string& name,
                       const std::string& value, const std::string& indent) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::StrCat(indent, "writer.Open(\"", name, "\");\n", indent, "WriteText(", value,
                          ", writer);\n", indent, "writer.Close();\n");
    case FieldDescriptor::CPPTYPE_STRING:
      return absl::StrCat(indent, "writer.String(\"", name, "\", ", value, ");\n");
    case FieldDescriptor::CPPTYPE_BOOL:
      return absl::StrCat(indent, "writer.Bool(\"", name, "\", ", value, ");\n");
    default:
      return absl::StrCat(indent, "writer.Integer(\"", name, "\", static_cast<",
                          IsSigned(field) ? "int64_t" : "uint64_t", ">(", value, "));\n");
  }
}

// TextFormat prints the fields by number; a field without presence when it
// is not its default, a map as its entries by key, each with its key and
// value.
std::string TextWriterFunction(const Descriptor& message) {
  std::string code = absl::StrCat("void WriteText(const ", ClassName(message),
                                  "& message, TextWriter& writer) {\n");
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < message.field_count(); ++i) fields.push_back(message.field(i));
  std::sort(fields.begin(), fields.end(),
            [](const FieldDescriptor* a, const FieldDescriptor* b) {
              return a->number() < b->number();
            });
  if (fields.empty()) absl::StrAppend(&code, "  (void)message;\n  (void)writer;\n");
  for (const FieldDescriptor* field : fields) {
    const std::string get = absl::StrCat("message.", AccessorName(*field), "()");
    if (field->is_map()) {
      absl::StrAppend(&code, "  for (const auto* entry : SortedByKey(", get, ")) {\n",
                      "    writer.Open(\"", field->name(), "\");\n",
                      "    writer.String(\"key\", entry->first);\n",
                      WriteValue(*field->message_type()->map_value(), "value", "entry->second",
                                 "    "),
                      "    writer.Close();\n  }\n");
    } else if (field->is_repeated()) {
      absl::StrAppend(&code, "  for (const auto& value : ", get, ") {\n",
                      WriteValue(*field, field->name(), "value", "    "), "  }\n");
    } else if (field->has_presence()) {
      absl::StrAppend(&code, "  if (message.has_", AccessorName(*field), "()) {\n",
                      WriteValue(*field, field->name(), get, "    "), "  }\n");
    } else {
      const std::string is_set = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                                     ? absl::StrCat("!", get, ".empty()")
                                     : absl::StrCat(get, " != 0");
      absl::StrAppend(&code, "  if (", is_set, ") {\n",
                      WriteValue(*field, field->name(), get, "    "), "  }\n");
    }
  }
  absl::StrAppend(&code, "}\n\n");
  return code;
}

// Every message of the file, nested ones included, map entries excluded.
void CollectMessages(const Descriptor& message, std::vector<const Descriptor*>& out) {
  if (message.options().map_entry()) return;
  out.push_back(&message);
  for (int i = 0; i < message.nested_type_count(); ++i) {
    CollectMessages(*message.nested_type(i), out);
  }
}

int Generate(const std::string& header_path, const std::string& source_path,
             const std::string& header_include) {
  const FileDescriptor& file = *Spec::descriptor()->file();
  std::vector<const Descriptor*> messages;
  for (int i = 0; i < file.message_type_count(); ++i) {
    CollectMessages(*file.message_type(i), messages);
  }
  for (const Descriptor* message : messages) {
    for (int i = 0; i < message->field_count(); ++i) {
      std::string problem;
      if (!Supported(*message->field(i), problem)) {
        std::cerr << "codec_generator: " << message->field(i)->full_name() << " is " << problem
                  << ", which the codec does not handle\n";
        return 1;
      }
    }
  }
  const std::string guard = "HULL_CONFIG_RUNTIME_SPEC_CODEC_H_";
  std::string header = absl::StrCat(
      "// Generated from ", file.name(), " by config/codec_generator.cc: do not edit.\n",
      "// Reads each message from JSON (config/json_reader.h), and reads and writes it\n",
      "// as TextFormat prints it (text_reader.h, text_writer.h), without descriptors.\n", "#ifndef ", guard, "\n#define ", guard,
      "\n\n#include \"absl/status/status.h\"\n#include \"config/text_reader.h\"\n",
      "#include \"config/text_writer.h\"\n",
      "#include \"config/json_reader.h\"\n#include \"config/runtime_spec.pb.h\"\n\n",
      "namespace hull::config {\n\n");
  for (const Descriptor* message : messages) {
    absl::StrAppend(&header, "absl::Status ReadJsonObject(JsonReader& reader, int depth, ",
                    ClassName(*message), "& message);\n", "bool ReadText(TextReader& reader, ",
                    ClassName(*message), "& message);\n", "void WriteText(const ",
                    ClassName(*message), "& message, TextWriter& writer);\n");
  }
  absl::StrAppend(&header, "\n}  // namespace hull::config\n\n#endif  // ", guard, "\n");

  std::string source = absl::StrCat(
      "// Generated from ", file.name(), " by config/codec_generator.cc: do not edit.\n",
      "#include \"", header_include, "\"\n\n#include <cstdint>\n#include <string>\n\n",
      "#include \"base/status_macros.h\"\n\nnamespace hull::config {\nnamespace {\n\n");
  for (const Descriptor* message : messages) {
    absl::StrAppend(&source, "// ", message->full_name(), "\n", JsonReaderCode(*message),
                    TextReaderCode(*message));
  }
  absl::StrAppend(&source, "}  // namespace\n\n");
  for (const Descriptor* message : messages) {
    absl::StrAppend(&source, JsonReaderFunction(*message), TextReaderFunction(*message),
                    TextWriterFunction(*message));
  }
  absl::StrAppend(&source, "}  // namespace hull::config\n");

  const std::pair<const std::string&, const std::string&> files[] = {{header_path, header},
                                                                     {source_path, source}};
  for (const auto& [path, text] : files) {
    std::ofstream out(path);
    out << text;
    out.close();
    if (!out) {
      std::cerr << "codec_generator: cannot write " << path << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace hull::config

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: codec_generator <header path> <source path> <header include path>\n";
    return 2;
  }
  return hull::config::Generate(argv[1], argv[2], argv[3]);
}
