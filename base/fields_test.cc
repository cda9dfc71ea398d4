#include "base/fields.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull {
namespace {

using ::testing::ElementsAre;

TEST(SplitFieldsTest, SplitsAtRunsOfWhitespace) {
  EXPECT_THAT(SplitFields("cpu io  memory\n"), ElementsAre("cpu", "io", "memory"));
  EXPECT_THAT(SplitFields("\t 0 0\t4294967295\n"), ElementsAre("0", "0", "4294967295"));
  EXPECT_THAT(SplitFields("one"), ElementsAre("one"));
}

TEST(SplitFieldsTest, NothingButWhitespaceHasNoFields) {
  EXPECT_TRUE(SplitFields("").empty());
  EXPECT_TRUE(SplitFields(" \n\t ").empty());
}

TEST(SplitFieldsTest, ViewsPointIntoTheText) {
  const absl::string_view text = "ab cd";
  const std::vector<absl::string_view> fields = SplitFields(text);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].data(), text.data() + 3);
}

}  // namespace
}  // namespace hull
