#include "config/json_writer.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "config/testdata/json_writer_test.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {
namespace {

using ::hull::config::testing::Inner;
using ::hull::config::testing::Outer;
using ::hull::config::testing::WithEnum;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

bool NamedAlways(const google::protobuf::FieldDescriptor& field) {
  return field.name().rfind("always_", 0) == 0;
}

constexpr JsonWriterOptions kCompact = {.compact = true, .always_written = nullptr};
constexpr JsonWriterOptions kCompactWithAlways = {.compact = true, .always_written = NamedAlways};
constexpr JsonWriterOptions kIndentedWithAlways = {.compact = false, .always_written = NamedAlways};

Outer EveryKind() {
  Outer outer;
  outer.set_name("a \"b\"\n\\ \x01 \u00e9");
  outer.set_flag(true);
  outer.set_small(-7);
  outer.set_signed_big(std::numeric_limits<int64_t>::min());
  outer.set_unsigned_small(4294967295u);
  outer.set_unsigned_big(std::numeric_limits<uint64_t>::max());
  outer.set_ratio(0.25);
  outer.mutable_inner()->set_count(3);
  outer.add_numbers(1);
  outer.add_numbers(0);
  outer.add_inners()->set_count(5);
  outer.add_inners();
  (*outer.mutable_by_name())["zeta"].set_count(1);
  (*outer.mutable_by_name())["alpha"];
  (*outer.mutable_counts())["b"] = 2;
  (*outer.mutable_counts())["a"] = 0;
  return outer;
}

TEST(MessageToJsonTest, CompactWritesNumbersAsNumbersInSchemaOrderWithSortedKeys) {
  EXPECT_THAT(
      MessageToJson(EveryKind(), kCompact),
      IsOkAndHolds(R"({"name":"a \"b\"\n\\ \u0001 )"
                   "\u00e9"
                   R"(","flag":true,"small":-7,"signedBig":-9223372036854775808,)"
                   R"("unsignedSmall":4294967295,"unsigned_big":18446744073709551615,"ratio":0.25,)"
                   R"("inner":{"count":3},"numbers":[1,0],"inners":[{"count":5},{}],)"
                   R"("byName":{"alpha":{},"zeta":{"count":1}},"counts":{"a":0,"b":2}})"));
}

TEST(MessageToJsonTest, ZeroValuesAreLeftOutUnlessAlwaysWritten) {
  EXPECT_THAT(MessageToJson(Outer(), kCompact), IsOkAndHolds("{}"));
  // An unset message is written as its default, with its own always-written
  // fields; an empty list as Go's nil slice, an empty map as a made one.
  EXPECT_THAT(MessageToJson(Outer(), kCompactWithAlways),
              IsOkAndHolds(R"({"alwaysZero":0,"alwaysInner":{"alwaysCount":0},)"
                           R"("alwaysList":null,"alwaysMap":{}})"));
}

TEST(MessageToJsonTest, ExplicitPresenceWritesASetZero) {
  Outer outer;
  outer.set_explicit_zero(0);
  EXPECT_THAT(MessageToJson(outer, kCompact), IsOkAndHolds(R"({"explicitZero":0})"));
}

TEST(MessageToJsonTest, AlwaysWrittenFieldsKeepTheirValues) {
  Outer outer;
  outer.set_always_zero(9);
  outer.add_always_list()->set_count(1);
  (*outer.mutable_always_map())["k"] = 0;
  EXPECT_THAT(MessageToJson(outer, kCompactWithAlways),
              IsOkAndHolds(R"({"alwaysZero":9,"alwaysInner":{"alwaysCount":0},)"
                           R"("alwaysList":[{"count":1,"alwaysCount":0}],"alwaysMap":{"k":0}})"));
}

TEST(MessageToJsonTest, IndentedIsGoMarshalIndentWithTwoSpaces) {
  Outer outer;
  outer.add_numbers(1);
  outer.add_numbers(2);
  (*outer.mutable_by_name())["x"];
  EXPECT_THAT(MessageToJson(outer, kIndentedWithAlways), IsOkAndHolds(R"({
  "numbers": [
    1,
    2
  ],
  "byName": {
    "x": {
      "alwaysCount": 0
    }
  },
  "alwaysZero": 0,
  "alwaysInner": {
    "alwaysCount": 0
  },
  "alwaysList": null,
  "alwaysMap": {}
})"));
  EXPECT_THAT(MessageToJson(Inner(), {.compact = false, .always_written = nullptr}),
              IsOkAndHolds("{}"));
}

TEST(MessageToJsonTest, DoublesAreWrittenAsGoWritesFloat64) {
  const auto written = [](double value) {
    Outer outer;
    outer.set_ratio(value);
    return MessageToJson(outer, kCompact);
  };
  EXPECT_THAT(written(1.5), IsOkAndHolds(R"({"ratio":1.5})"));
  EXPECT_THAT(written(-2.5), IsOkAndHolds(R"({"ratio":-2.5})"));
  EXPECT_THAT(written(0.1), IsOkAndHolds(R"({"ratio":0.1})"));
  EXPECT_THAT(written(12.34), IsOkAndHolds(R"({"ratio":12.34})"));
  EXPECT_THAT(written(100), IsOkAndHolds(R"({"ratio":100})"));
  EXPECT_THAT(written(0.000001), IsOkAndHolds(R"({"ratio":0.000001})"));
  EXPECT_THAT(written(1e20), IsOkAndHolds(R"({"ratio":100000000000000000000})"));
  EXPECT_THAT(written(1e21), IsOkAndHolds(R"({"ratio":1e+21})"));
  EXPECT_THAT(written(1e-7), IsOkAndHolds(R"({"ratio":1e-7})"));
  EXPECT_THAT(written(1.23e-10), IsOkAndHolds(R"({"ratio":1.23e-10})"));
  EXPECT_THAT(written(5e-324), IsOkAndHolds(R"({"ratio":5e-324})"));
  EXPECT_THAT(written(std::nan("")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ratio: nan")));
  EXPECT_THAT(written(std::numeric_limits<double>::infinity()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ratio: inf")));
}

TEST(MessageToJsonTest, RefusesStringsThatAreNotUtf8NamingThePath) {
  Outer outer;
  outer.set_name("\xff");
  EXPECT_THAT(MessageToJson(outer, kCompact),
              StatusIs(absl::StatusCode::kInvalidArgument, "name: string is not valid UTF-8"));
  Outer keyed;
  (*keyed.mutable_by_name())["\xfe"];
  EXPECT_THAT(
      MessageToJson(keyed, kCompact),
      StatusIs(absl::StatusCode::kInvalidArgument, R"(byName["\376"]: string is not valid UTF-8)"));
}

TEST(MessageToJsonTest, FieldTypesWithoutAJsonFormAreErrorsNotCrashes) {
  WithEnum with_enum;
  with_enum.set_kind(WithEnum::KIND_ONE);
  EXPECT_THAT(MessageToJson(with_enum, kCompact),
              StatusIs(absl::StatusCode::kInternal, "kind: field type enum has no JSON writer"));
  WithEnum with_int_keys;
  (*with_int_keys.mutable_by_number())[1] = "one";
  EXPECT_THAT(
      MessageToJson(with_int_keys, kCompact),
      StatusIs(absl::StatusCode::kInternal, "byNumber: map key type int32 has no JSON writer"));
}

}  // namespace
}  // namespace hull::config
