#include "cgroups/systemd/property_annotations.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/factory.h"
#include "cgroups/systemd/unit_properties.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;

PropertyValue V(PropertyValue value) { return value; }

TEST(ParseGVariantTextTest, UnannotatedLiteralsHaveGLibsInferredTypes) {
  EXPECT_THAT(ParseGVariantText("true"), IsOkAndHolds(V(true)));
  EXPECT_THAT(ParseGVariantText(" false "), IsOkAndHolds(V(false)));
  EXPECT_THAT(ParseGVariantText("42"), IsOkAndHolds(V(int32_t{42})));
  EXPECT_THAT(ParseGVariantText("-3"), IsOkAndHolds(V(int32_t{-3})));
  EXPECT_THAT(ParseGVariantText("0x10"), IsOkAndHolds(V(int32_t{16})));
  EXPECT_THAT(ParseGVariantText("1.5"), IsOkAndHolds(V(1.5)));
  EXPECT_THAT(ParseGVariantText("2e3"), IsOkAndHolds(V(2000.0)));
  EXPECT_THAT(ParseGVariantText("'inactive-or-failed'"),
              IsOkAndHolds(V(std::string("inactive-or-failed"))));
  EXPECT_THAT(ParseGVariantText("\"it's\""), IsOkAndHolds(V(std::string("it's"))));
  EXPECT_THAT(ParseGVariantText(R"('a\'b\\c\n')"), IsOkAndHolds(V(std::string("a'b\\c\n"))));
  EXPECT_THAT(ParseGVariantText(R"('\u00e9')"), IsOkAndHolds(V(std::string("\xc3\xa9"))));
  EXPECT_THAT(ParseGVariantText("['a.service', \"b.service\"]"),
              IsOkAndHolds(V(std::vector<std::string>{"a.service", "b.service"})));
}

TEST(ParseGVariantTextTest, KeywordsAndAnnotationsSayTheType) {
  EXPECT_THAT(ParseGVariantText("boolean true"), IsOkAndHolds(V(true)));
  EXPECT_THAT(ParseGVariantText("byte 255"), IsOkAndHolds(V(uint8_t{255})));
  EXPECT_THAT(ParseGVariantText("int16 -5"), IsOkAndHolds(V(int16_t{-5})));
  EXPECT_THAT(ParseGVariantText("uint16 5"), IsOkAndHolds(V(uint16_t{5})));
  EXPECT_THAT(ParseGVariantText("int32 7"), IsOkAndHolds(V(int32_t{7})));
  EXPECT_THAT(ParseGVariantText("uint32 4000000000"), IsOkAndHolds(V(uint32_t{4000000000u})));
  EXPECT_THAT(ParseGVariantText("int64 -9000000000"),
              IsOkAndHolds(V(int64_t{-9000000000})));
  EXPECT_THAT(ParseGVariantText("uint64 18446744073709551615"),
              IsOkAndHolds(V(uint64_t{18446744073709551615u})));
  EXPECT_THAT(ParseGVariantText("double 3"), IsOkAndHolds(V(3.0)));
  EXPECT_THAT(ParseGVariantText("string 'x'"), IsOkAndHolds(V(std::string("x"))));
  EXPECT_THAT(ParseGVariantText("@t 5"), IsOkAndHolds(V(uint64_t{5})));
  EXPECT_THAT(ParseGVariantText("@as []"), IsOkAndHolds(V(std::vector<std::string>{})));
  EXPECT_THAT(ParseGVariantText("[uint32 1, 2]"), IsOkAndHolds(V(std::vector<uint32_t>{1, 2})));
  EXPECT_THAT(ParseGVariantText("@ay [1, 0x2]"), IsOkAndHolds(V(std::vector<uint8_t>{1, 2})));
}

TEST(ParseGVariantTextTest, RefusesWhatItCannotSendOrRead) {
  for (const char* text : {"", "3000000000", "uint64 -1", "byte 256", "int16 40000", "@t 'x'",
                           "'unterminated", "[]", "[1, 'a']", "['a' 'b']", "['a',", "(1, 2)",
                           "{'a': 1}", "<1>", "nothing", "just 5", "objectpath '/a'", "@ax [1]",
                           "1 2", "yes", "boolean 1", "string 5", "uint32 [1]", "@"}) {
    EXPECT_THAT(ParseGVariantText(text), StatusIs(absl::StatusCode::kInvalidArgument, Not(IsEmpty())))
        << "\"" << text << "\"";
  }
}

TEST(AnnotatedPropertiesTest, TakesThePrefixedAnnotationsInNameOrder) {
  Annotations annotations;
  annotations["org.systemd.property.TimeoutStopUSec"] = "uint64 123456789";
  annotations["org.systemd.property.CollectMode"] = "'inactive-or-failed'";
  annotations["io.kubernetes.pod.name"] = "web";
  annotations["org.systemd.propertyTasksMax"] = "5";
  EXPECT_THAT(AnnotatedProperties(annotations),
              IsOkAndHolds(ElementsAre(
                  UnitProperty{"CollectMode", std::string("inactive-or-failed")},
                  UnitProperty{"TimeoutStopUSec", uint64_t{123456789}})));
  EXPECT_THAT(FirstPropertyAnnotation(annotations),
              Optional(std::string("org.systemd.property.CollectMode")));
}

TEST(AnnotatedPropertiesTest, SecondsBecomeMicroseconds) {
  Annotations annotations;
  annotations["org.systemd.property.TimeoutStopSec"] = "14";
  annotations["org.systemd.property.RuntimeMaxSec"] = "1.5";
  annotations["org.systemd.property.RestartSec"] = "uint64 2";
  EXPECT_THAT(AnnotatedProperties(annotations),
              IsOkAndHolds(ElementsAre(UnitProperty{"RestartUSec", uint64_t{2000000}},
                                       UnitProperty{"RuntimeMaxUSec", uint64_t{1500000}},
                                       UnitProperty{"TimeoutStopUSec", uint64_t{14000000}})));
}

TEST(AnnotatedPropertiesTest, RefusesByTheAnnotationsName) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"org.systemd.property.TimeoutStopSec", "-1"},
      {"org.systemd.property.TimeoutStopSec", "'14'"},
      {"org.systemd.property.TimeoutStopSec", "uint64 18446744073709551615"},
      {"org.systemd.property.Ab", "true"},
      {"org.systemd.property.Foo_Bar", "true"},
      {"org.systemd.property.", "true"},
      {"org.systemd.property.CollectMode", "inactive-or-failed"},
  };
  for (const auto& [key, value] : refused) {
    Annotations annotations;
    annotations[key] = value;
    EXPECT_THAT(AnnotatedProperties(annotations),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr(absl::StrCat("annotation \"", key, "\""))))
        << key << "=" << value;
  }
}

TEST(AnnotatedPropertiesTest, NoneWithoutThePrefix) {
  Annotations annotations;
  annotations["org.opencontainers.image.title"] = "web";
  EXPECT_THAT(AnnotatedProperties(annotations), IsOkAndHolds(IsEmpty()));
  EXPECT_EQ(FirstPropertyAnnotation(annotations), std::nullopt);
}

}  // namespace
}  // namespace hull::cgroups::systemd
