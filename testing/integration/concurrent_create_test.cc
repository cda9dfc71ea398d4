// Two `hull create`s of one id at once: exactly one wins, every round.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kRounds = 20;

using ConcurrentCreateTest = HullTest;

TEST_F(ConcurrentCreateTest, ExactlyOneOfTwoCreatesOfAnIdWins) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(ContainerSpec({"sleep", "1000"}));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const std::string id = NewId();
    const std::vector<std::string> create = {"create", "--bundle", (*bundle)->path(), id};
    // Both started before either is waited for.
    absl::StatusOr<HullProcess> first = StartHull(create);
    absl::StatusOr<HullProcess> second = StartHull(create);
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_TRUE(second.ok()) << second.status();
    absl::StatusOr<HullResult> first_result = first->Wait();
    absl::StatusOr<HullResult> second_result = second->Wait();
    ASSERT_TRUE(first_result.ok()) << first_result.status();
    ASSERT_TRUE(second_result.ok()) << second_result.status();

    const bool first_won = first_result->exit_code == 0;
    const bool second_won = second_result->exit_code == 0;
    ASSERT_NE(first_won, second_won)
        << "first: " << *first_result << "\nsecond: " << *second_result;
    const HullResult& loser = first_won ? *second_result : *first_result;
    EXPECT_EQ(loser.exit_code, 1) << loser;
    EXPECT_THAT(loser.err, HasSubstr("container with id exists")) << loser;

    absl::StatusOr<runtime::OciState> state = State(id);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->status(), "created");
    HullResult deleted = Hull({"delete", "-f", id});
    ASSERT_EQ(deleted.exit_code, 0) << deleted;
  }
}

}  // namespace
}  // namespace hull::testing
