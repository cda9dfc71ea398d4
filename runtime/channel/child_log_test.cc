#include "runtime/channel/child_log.h"

#include <sys/socket.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::channel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<std::string> Forwarded(const ChildLogPair& log) {
  std::vector<std::string> records;
  ForwardChildLog(log.parent.get(),
                  [&](absl::string_view record) { records.emplace_back(record); });
  return records;
}

TEST(ChildLogTest, RecordsArriveWholeAndInOrderAndForwardingNeverWaits) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  ChildLogWriter writer(log->child.get());
  writer.Write("join namespaces");
  writer.Write("a record\nwith a newline");
  EXPECT_THAT(Forwarded(*log), ElementsAre("join namespaces", "a record\nwith a newline"));
  // Nothing queued: it returns at once (a wait would hang the test).
  EXPECT_THAT(Forwarded(*log), IsEmpty());
  writer.Write("report ready");
  EXPECT_THAT(Forwarded(*log), ElementsAre("report ready"));
}

TEST(ChildLogTest, AnEmptyMessageIsNotSentSinceItWouldReadAsTheEnd) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  ChildLogWriter writer(log->child.get());
  writer.Write("");
  writer.Write("after");
  EXPECT_THAT(Forwarded(*log), ElementsAre("after"));
}

TEST(ChildLogTest, ALongRecordIsCut) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  ChildLogWriter(log->child.get()).Write(std::string(3 * kMaxChildLogRecord, 'x'));
  EXPECT_THAT(Forwarded(*log), ElementsAre(std::string(kMaxChildLogRecord, 'x')));
}

TEST(ChildLogTest, AFullLogDropsRecordsWithoutBlockingAndSaysHowMany) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  const int small = 4096;  // the kernel's minimum is about this
  ASSERT_EQ(setsockopt(log->child.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  ChildLogWriter writer(log->child.get());
  constexpr int kWritten = 1000;
  for (int i = 0; i < kWritten; ++i) writer.Write(absl::StrCat("step ", i));
  std::vector<std::string> first = Forwarded(*log);
  ASSERT_GT(first.size(), 0u);
  ASSERT_LT(first.size(), static_cast<size_t>(kWritten)) << "the buffer did not fill up";
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i], absl::StrCat("step ", i));

  writer.Write("after");
  EXPECT_THAT(Forwarded(*log),
              ElementsAre(absl::StrCat(kWritten - first.size(),
                                       " earlier log records dropped: the log was full"),
                          "after"));
}

TEST(ChildLogTest, WritingAfterTheLauncherClosedItsEndNeitherBlocksNorRaisesSigpipe) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  log->parent.Reset();
  ChildLogWriter writer(log->child.get());
  // A pipe would kill this process with SIGPIPE here.
  for (int i = 0; i < 100; ++i) writer.Write("wait for start");
  SUCCEED() << "still alive";
}

TEST(ChildLogTest, ForwardingAClosedLogReturns) {
  absl::StatusOr<ChildLogPair> log = CreateChildLogPair();
  ASSERT_TRUE(log.ok()) << log.status();
  ChildLogWriter(log->child.get()).Write("last words");
  log->child.Reset();
  EXPECT_THAT(Forwarded(*log), SizeIs(1));
  EXPECT_THAT(Forwarded(*log), IsEmpty());
}

}  // namespace
}  // namespace hull::channel
