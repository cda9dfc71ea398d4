// The fork server without root: its inits are plain children (no namespace
// flags), cloned for many threads at once while others allocate, each the
// test process's own child, with the fds it was asked to inherit.
#include "runtime/spawn/fork_server.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/child_log.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "runtime/seccomp/filter.h"
#include "testing/held_resources.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

// Writes "<id> <its channel is still open>\n" (with a seccomp filter, "<id>
// <open> seccomp <instructions> <first instruction's k> <flags>\n") to the fd
// it inherited as 3 and exits with the id's length.
absl::Status ReportAndExit(Init& init) {
  const InitContext& context = ContextOf(init);
  const bool channel_open = fcntl(context.channel.fd(), F_GETFD) >= 0;
  const seccomp::Filter* filter = context.seccomp_filter;
  const std::string line = absl::StrCat(
      context.container_id, " ", channel_open ? 1 : 0,
      filter == nullptr ? ""
                        : absl::StrCat(" seccomp ", filter->program.size(), " ",
                                       filter->program.front().k, " ", filter->flags),
      "\n");
  (void)!write(3, line.data(), line.size());
  _exit(static_cast<int>(context.container_id.size()));
}

// Made before main, so in the memory the server is forked with.
const InitStep kSteps[] = {
    *FindDefaultInitStep("take its stdio and preserved fds"),
    {"report and exit", ReportAndExit},
};

// The fds of one request: a channel, an exec fifo stand-in, and the pipe the
// test passes as the init's fd 3.
struct Request {
  config::Spec spec;
  std::string id;
  channel::SyncChannelPair channels;
  UniqueFd exec_fifo;
};

absl::StatusOr<nsenter::ClonedProcess> Spawn(ForkServer& server, Request& request) {
  InitContext context{.spec = request.spec,
                      .container_id = request.id,
                      .preserve_fds = 1,
                      .channel = request.channels.child,
                      .exec_fifo_fd = request.exec_fifo.get()};
  return server.Spawn(context);
}

absl::StatusOr<Request> MakeRequest(std::string id) {
  absl::StatusOr<channel::SyncChannelPair> channels = channel::CreateSyncChannelPair();
  if (!channels.ok()) return channels.status();
  return Request{.id = std::move(id),
                 .channels = *std::move(channels),
                 .exec_fifo = UniqueFd(open("/dev/null", O_RDONLY | O_CLOEXEC))};
}

class ForkServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int ends[2];
    ASSERT_EQ(pipe2(ends, O_CLOEXEC), 0);
    // Out of the way of fd 3, which either end may be.
    report_read_.Reset(fcntl(ends[0], F_DUPFD_CLOEXEC, 10));
    const int write_end = fcntl(ends[1], F_DUPFD_CLOEXEC, 10);
    close(ends[0]);
    close(ends[1]);
    // The init inherits the caller's fd 3: the report pipe.
    ASSERT_EQ(dup2(write_end, 3), 3);
    close(write_end);
    absl::StatusOr<std::unique_ptr<ForkServer>> server = ForkServer::Start(kSteps);
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
  }

  void TearDown() override {
    server_.reset();
    CloseReportWriteEnd();
  }

  void CloseReportWriteEnd() {
    if (report_write_open_) close(3);
    report_write_open_ = false;
  }

  // Every report line the inits wrote, once fd 3 is closed here.
  std::vector<std::string> Reports() {
    CloseReportWriteEnd();
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(report_read_.get(), buffer, sizeof(buffer))) > 0) text.append(buffer, n);
    return absl::StrSplit(text, '\n', absl::SkipEmpty());
  }

  UniqueFd report_read_;
  bool report_write_open_ = true;
  std::unique_ptr<ForkServer> server_;
};

TEST_F(ForkServerTest, TheInitIsTheCallersChildWithItsFds) {
  absl::StatusOr<Request> request = MakeRequest("abcde");
  ASSERT_THAT(request, IsOk());
  absl::StatusOr<nsenter::ClonedProcess> init = Spawn(*server_, *request);
  ASSERT_THAT(init, IsOk());
  EXPECT_NE(init->pid, server_->pid());
  // Only a parent can wait for a process: the init is the test's child.
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()),
              IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 5}));
  EXPECT_THAT(Reports(), ::testing::ElementsAre("abcde 1"));
}

TEST_F(ForkServerTest, TheSeccompFilterTravelsWithTheRequest) {
  absl::StatusOr<Request> request = MakeRequest("filtered");
  ASSERT_THAT(request, IsOk());
  const seccomp::Filter filter{.program = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
                                           BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)},
                               .flags = SECCOMP_FILTER_FLAG_LOG};
  InitContext context{.spec = request->spec,
                      .container_id = request->id,
                      .preserve_fds = 1,
                      .channel = request->channels.child,
                      .exec_fifo_fd = request->exec_fifo.get(),
                      .seccomp_filter = &filter};
  absl::StatusOr<nsenter::ClonedProcess> init = server_->Spawn(context);
  ASSERT_THAT(init, IsOk());
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()), IsOk());
  EXPECT_THAT(Reports(), ::testing::ElementsAre(absl::StrCat(
                             "filtered 1 seccomp 2 4 ", SECCOMP_FILTER_FLAG_LOG)));
}

TEST_F(ForkServerTest, TheInitRecordsItsStepsInTheLogItIsGiven) {
  absl::StatusOr<Request> request = MakeRequest("logged");
  ASSERT_THAT(request, IsOk());
  absl::StatusOr<channel::ChildLogPair> log = channel::CreateChildLogPair();
  ASSERT_THAT(log, IsOk());
  InitContext context{.spec = request->spec,
                      .container_id = request->id,
                      .preserve_fds = 1,
                      .channel = request->channels.child,
                      .exec_fifo_fd = request->exec_fifo.get(),
                      .log_fd = log->child.get()};
  absl::StatusOr<nsenter::ClonedProcess> init = server_->Spawn(context);
  ASSERT_THAT(init, IsOk());
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()), IsOk());
  std::vector<std::string> records;
  channel::ForwardChildLog(log->parent.get(),
                           [&](absl::string_view record) { records.emplace_back(record); });
  EXPECT_THAT(records,
              ::testing::ElementsAre("take its stdio and preserved fds", "report and exit"));
}

TEST_F(ForkServerTest, ServesManyThreadsAtOnceWhileOthersAllocate) {
  constexpr int kThreads = 8;
  constexpr int kInitsPerThread = 10;
  std::atomic<bool> stop = false;
  std::vector<std::thread> allocators;
  for (int i = 0; i < 2; ++i) {
    allocators.emplace_back([&stop] {
      while (!stop) {
        std::vector<std::unique_ptr<char[]>> blocks;
        for (int size = 16; size < 1 << 20; size *= 2) blocks.emplace_back(new char[size]);
      }
    });
  }
  std::vector<std::string> expected;
  std::vector<std::thread> spawners;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kInitsPerThread; ++i) expected.push_back(absl::StrCat("t", t, "-", i, " 1"));
    spawners.emplace_back([this, t, &failures] {
      for (int i = 0; i < kInitsPerThread; ++i) {
        const std::string id = absl::StrCat("t", t, "-", i);
        absl::StatusOr<Request> request = MakeRequest(id);
        absl::StatusOr<nsenter::ClonedProcess> init =
            request.ok() ? Spawn(*server_, *request) : request.status();
        absl::StatusOr<nsenter::ExitStatus> exit =
            init.ok() ? nsenter::PidfdWait(init->pidfd.get()) : init.status();
        if (!exit.ok() || exit->code != static_cast<int>(id.size())) {
          ADD_FAILURE() << id << ": " << (exit.ok() ? exit->ToString() : exit.status().ToString());
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : spawners) thread.join();
  stop = true;
  for (std::thread& thread : allocators) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_THAT(Reports(), UnorderedElementsAreArray(expected));
}

TEST_F(ForkServerTest, ARequestTheServerCannotServeIsItsError) {
  absl::StatusOr<Request> request = MakeRequest("bad");
  ASSERT_THAT(request, IsOk());
  request->spec.mutable_linux()->add_namespaces()->set_type("bogus");
  EXPECT_THAT(Spawn(*server_, *request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bogus")));
  // The server goes on serving.
  absl::StatusOr<Request> good = MakeRequest("good");
  ASSERT_THAT(good, IsOk());
  absl::StatusOr<nsenter::ClonedProcess> init = Spawn(*server_, *good);
  ASSERT_THAT(init, IsOk());
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()), IsOk());
}

TEST_F(ForkServerTest, AGoneServerIsUnavailable) {
  ASSERT_EQ(kill(server_->pid(), SIGKILL), 0);
  absl::StatusOr<Request> request = MakeRequest("late");
  ASSERT_THAT(request, IsOk());
  // Until the kernel has torn the server down a send may still succeed; the
  // reply never comes either way.
  EXPECT_THAT(Spawn(*server_, *request), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("fork server")));
}

TEST_F(ForkServerTest, StoppingTheServerLeavesNoChild) {
  server_.reset();
  EXPECT_THAT(hull::testing::CheckNoChildren(), IsOk());
}

TEST(ForkServerStartTest, RefusesAMultiThreadedCaller) {
  absl::Notification done;
  std::thread other([&done] { done.WaitForNotification(); });
  absl::StatusOr<std::unique_ptr<ForkServer>> server = ForkServer::Start(kSteps);
  done.Notify();
  other.join();
  EXPECT_THAT(server, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2 threads")));
}

}  // namespace
}  // namespace hull::runtime
