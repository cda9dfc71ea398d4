#include "runtime/criu/swrk.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/criu/rpc.pb.h"
#include "testing/status_matchers.h"

namespace hull::runtime::criu {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kFake[] = "runtime/criu/fake_swrk";

class SwrkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("FAKE_SWRK_NOTIFY");
    unsetenv("FAKE_SWRK_FAIL");
  }
  void TearDown() override { SetUp(); }

  criu_req Request(criu_req_type type) {
    criu_req request;
    request.set_type(type);
    request.mutable_opts()->set_images_dir_fd(0);
    return request;
  }
  SwrkRunner runner_{kFake};
};

TEST_F(SwrkTest, ReturnsTheAnswerAndPassesTheExtraFds) {
  UniqueFd a(open("/dev/null", O_RDONLY | O_CLOEXEC));
  UniqueFd b(open("/dev/null", O_RDONLY | O_CLOEXEC));
  absl::StatusOr<criu_resp> response =
      runner_.Run(Request(RESTORE), {a.get(), b.get()}, Callbacks{});
  ASSERT_THAT(response.status(), IsOk());
  EXPECT_EQ(response->type(), RESTORE);
  // The fake counts the fds it got from 4 on: exactly the two extra ones.
  EXPECT_EQ(response->restore().pid(), 2);
}

TEST_F(SwrkTest, HandsEachNotificationToTheCallbackInOrder) {
  setenv("FAKE_SWRK_NOTIFY", "setup-namespaces:41,orphan-pts-master,post-restore:41", 1);
  std::vector<std::string> seen;
  bool got_master = false;
  pid_t started = 0;
  Callbacks callbacks{
      .started = [&](pid_t pid) {
        started = pid;
        return absl::OkStatus();
      },
      .notify = [&](Notification& notification) {
        seen.push_back(absl::StrCat(notification.script, "/", notification.pid));
        if (notification.script == "orphan-pts-master") got_master = notification.fd.valid();
        return absl::OkStatus();
      }};
  ASSERT_THAT(runner_.Run(Request(RESTORE), {}, callbacks).status(), IsOk());
  EXPECT_GT(started, 0);
  EXPECT_THAT(seen, ElementsAre("setup-namespaces/41", "orphan-pts-master/0", "post-restore/41"));
  EXPECT_TRUE(got_master);
}

TEST_F(SwrkTest, AFailedCallbackFailsTheRequestWithItsError) {
  setenv("FAKE_SWRK_NOTIFY", "setup-namespaces:7,post-restore:7", 1);
  int calls = 0;
  Callbacks callbacks{.notify = [&](Notification&) {
    ++calls;
    return absl::AbortedError("error running prestart hook #0: exit status 1");
  }};
  EXPECT_THAT(runner_.Run(Request(RESTORE), {}, callbacks).status(),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("criu restore: setup-namespaces: error running prestart hook")));
  // CRIU gives up at the first failed notification.
  EXPECT_EQ(calls, 1);
}

TEST_F(SwrkTest, CriusFailureCarriesItsMessageAndErrno) {
  setenv("FAKE_SWRK_FAIL", "Can't open the image directory\n", 1);
  EXPECT_THAT(runner_.Run(Request(DUMP), {}, Callbacks{}).status(),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("criu dump failed: Can't open the image directory (errno 2: ")));
}

TEST_F(SwrkTest, AMissingBinaryIsAClearError) {
  SwrkRunner missing("/nonexistent/criu");
  EXPECT_THAT(missing.Run(Request(DUMP), {}, Callbacks{}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot run criu (/nonexistent/criu swrk)")));
}

TEST_F(SwrkTest, AWorkerThatDiesWithoutAnAnswerIsReported) {
  // `false` exits at once without reading the request.
  SwrkRunner dying("/bin/false");
  EXPECT_THAT(dying.Run(Request(DUMP), {}, Callbacks{}).status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("exit status 1")));
}

}  // namespace
}  // namespace hull::runtime::criu
