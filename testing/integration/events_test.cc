// `hull events`: the "oom" line runc prints when a process of the container
// is OOM-killed under its memory limit, and the end of events with the
// container.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::StartsWith;

constexpr int64_t kLimit = 32 << 20;

class EventsTest : public HullTest {};

TEST_F(EventsTest, AnOomKilledProcessPrintsAnOomLine) {
  // dd's 64 MiB buffer, filled from /dev/zero, cannot fit in 32 MiB.
  config::Spec spec =
      ContainerSpec({"sh", "-c", "sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1"});
  SetMemoryLimit(spec, kLimit);
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(spec, id));

  absl::StatusOr<HullProcess> events =
      StartHull({"events", "--interval", "1s", id}, {.timeout = absl::Seconds(30)});
  ASSERT_TRUE(events.ok()) << events.status();
  // Time for events to register before anything can happen.
  absl::SleepFor(absl::Milliseconds(500));
  const HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;

  // The container stops once dd is killed (sh exits after it): so does
  // events.
  absl::StatusOr<HullResult> result = events->Wait();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0) << *result;
  const std::vector<std::string> lines = Lines(result->out);
  // At least one: v1 signals memory.oom_control's eventfd at every entry
  // into the cgroup's OOM path, also one that finds the victim still exiting
  // and kills nothing, and each read of the eventfd is a line (as in runc).
  EXPECT_THAT(lines, Contains(absl::StrCat("{\"type\":\"oom\",\"id\":\"", id, "\"}")))
      << *result;
  std::vector<std::string> others;
  for (const std::string& line : lines) {
    if (line.find("\"oom\"") == std::string::npos) others.push_back(line);
  }
  EXPECT_THAT(others, Each(StartsWith(absl::StrCat("{\"type\":\"stats\",\"id\":\"", id, "\","))))
      << *result;
}

TEST_F(EventsTest, NoOomNoOomLine) {
  config::Spec spec = ContainerSpec({"sh", "-c", "sleep 2"});
  spec.mutable_linux()->mutable_resources()->mutable_memory()->set_limit(kLimit);
  const std::string id = NewId();
  ASSERT_TRUE(CreateContainer(spec, id));
  const HullResult started = Hull({"start", id});
  ASSERT_EQ(started.exit_code, 0) << started;

  const HullResult result =
      Hull({"events", "--interval", "500ms", id}, {.timeout = absl::Seconds(30)});
  EXPECT_EQ(result.exit_code, 0) << result;
  const std::vector<std::string> lines = Lines(result.out);
  EXPECT_GE(lines.size(), 2u) << "stats every 500 ms for 2 s: " << result;
  EXPECT_THAT(lines, Each(StartsWith(absl::StrCat("{\"type\":\"stats\",\"id\":\"", id, "\","))))
      << result;
}

}  // namespace
}  // namespace hull::testing
