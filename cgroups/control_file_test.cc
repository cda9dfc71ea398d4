#include "cgroups/control_file.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ParseSingleValueTest, NumbersAndMax) {
  EXPECT_THAT(ParseSingleValue("1048576\n", "memory.max"), IsOkAndHolds(1048576u));
  EXPECT_THAT(ParseSingleValue("max\n", "memory.max"), IsOkAndHolds(kUnlimited));
  EXPECT_THAT(ParseSingleValue("0", "pids.current"), IsOkAndHolds(0u));
  for (const char* bad : {"", "\n", "-1\n", "12 13\n", "maxi\n", "1k\n"}) {
    EXPECT_THAT(ParseSingleValue(bad, "/cg/memory.max"),
                StatusIs(absl::StatusCode::kInternal, HasSubstr("parse /cg/memory.max: ")))
        << bad;
  }
}

TEST(ParseFlatKeyedTest, KeyValueLines) {
  EXPECT_THAT(ParseFlatKeyed("usage_usec 42\nuser_usec 40\nsystem_usec 2\n", "cpu.stat"),
              IsOkAndHolds(ElementsAre(Pair("system_usec", 2u), Pair("usage_usec", 42u),
                                       Pair("user_usec", 40u))));
  EXPECT_THAT(ParseFlatKeyed("max max\n", "pids.events"),
              IsOkAndHolds(ElementsAre(Pair("max", kUnlimited))));
  EXPECT_THAT(ParseFlatKeyed("", "memory.stat"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ParseFlatKeyed("anon 1\nfile\n", "/cg/memory.stat"),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("parse /cg/memory.stat: \"file\" is not \"key value\"")));
  EXPECT_THAT(ParseFlatKeyed("anon x\n", "memory.stat"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("\"anon x\"")));
}

TEST(ParseWordsTest, SpacesAndNewlines) {
  EXPECT_THAT(ParseWords("cpuset cpu io memory\n"), ElementsAre("cpuset", "cpu", "io", "memory"));
  EXPECT_THAT(ParseWords("\n"), IsEmpty());
}

TEST(ParsePidsTest, OnePerLine) {
  EXPECT_THAT(ParsePids("12\n345\n", "cgroup.procs"), IsOkAndHolds(ElementsAre(12, 345)));
  EXPECT_THAT(ParsePids("", "cgroup.procs"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ParsePids("12\nx\n", "/cg/cgroup.procs"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("\"x\" is not a pid")));
  EXPECT_THAT(ParsePids("0\n", "cgroup.procs"), StatusIs(absl::StatusCode::kInternal, HasSubstr("\"0\"")));
}

}  // namespace
}  // namespace hull::cgroups
