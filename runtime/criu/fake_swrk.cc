// A stand-in for `criu swrk <fd>` in swrk_test: reads one request on the
// fd, sends the notifications FAKE_SWRK_NOTIFY lists ("script:pid,..."; an
// orphan-pts-master one carries this process's stdin), then answers with
// the request's type: success, or failure with FAKE_SWRK_FAIL as CRIU's
// message (errno ENOENT). A notification answered with failure ends it with
// a failed answer, as CRIU does. A restore's answer carries as its pid the
// number of fds it was given from 4 on (runner.h's extra fds).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/fd_passing.h"
#include "runtime/criu/rpc.pb.h"

namespace {

using hull::runtime::criu::criu_req;
using hull::runtime::criu::criu_resp;

bool Send(int socket, const criu_resp& response, int fd = -1) {
  std::string bytes;
  response.SerializeToString(&bytes);
  if (fd < 0) return send(socket, bytes.data(), bytes.size(), 0) >= 0;
  return hull::SendWithFds(socket, bytes, {fd}).ok();
}

bool Receive(int socket, criu_req& request) {
  char buffer[4096];
  const ssize_t n = recv(socket, buffer, sizeof(buffer), 0);
  return n > 0 && request.ParseFromArray(buffer, static_cast<int>(n));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "swrk") return 2;
  const int socket = std::atoi(argv[2]);
  criu_req request;
  if (!Receive(socket, request)) return 3;
  criu_resp answer;
  answer.set_type(request.type());
  answer.set_success(true);
  const char* notify = std::getenv("FAKE_SWRK_NOTIFY");
  std::string notifications = notify == nullptr ? "" : notify;
  while (!notifications.empty()) {
    const size_t comma = notifications.find(',');
    const std::string item = notifications.substr(0, comma);
    notifications = comma == std::string::npos ? "" : notifications.substr(comma + 1);
    const size_t colon = item.find(':');
    criu_resp message;
    message.set_type(hull::runtime::criu::NOTIFY);
    message.set_success(true);
    message.mutable_notify()->set_script(item.substr(0, colon));
    if (colon != std::string::npos) message.mutable_notify()->set_pid(std::atoi(item.c_str() + colon + 1));
    const bool pass_fd = message.notify().script() == "orphan-pts-master";
    if (!Send(socket, message, pass_fd ? STDIN_FILENO : -1)) return 4;
    criu_req reply;
    if (!Receive(socket, reply) || reply.type() != hull::runtime::criu::NOTIFY) return 5;
    if (!reply.notify_success()) {
      answer.set_success(false);
      answer.set_cr_errmsg("notification failed");
      break;
    }
  }
  if (const char* fail = std::getenv("FAKE_SWRK_FAIL"); fail != nullptr && answer.success()) {
    answer.set_success(false);
    answer.set_cr_errmsg(fail);
    answer.set_cr_errno(ENOENT);
  }
  if (answer.success() && request.type() == hull::runtime::criu::RESTORE) {
    int extra = 0;
    while (fcntl(4 + extra, F_GETFD) >= 0) ++extra;
    answer.mutable_restore()->set_pid(extra);
  }
  return Send(socket, answer) ? 0 : 6;
}
