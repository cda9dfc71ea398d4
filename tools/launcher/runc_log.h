// The launcher's log in runc's formats, which containerd and podman parse:
//   text: time="2026-01-02T03:04:05Z" level=error msg="container does not exist"
//   json: {"level":"error","msg":"container does not exist","time":"2026-01-02T03:04:05Z"}
// Library code logs with glog (VLOG(1) for --debug); RuncLogSink forwards
// those records here.
#ifndef HULL_TOOLS_LAUNCHER_RUNC_LOG_H_
#define HULL_TOOLS_LAUNCHER_RUNC_LOG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "glog/logging.h"
#include "base/fd.h"

namespace hull::launcher {

enum class LogFormat { kText, kJson };

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// One log record as a line (with the trailing newline). The text format
// quotes the message only when logrus would: when it has a character other
// than letters, digits and -._/@^+.
std::string FormatLogLine(LogFormat format, absl::string_view level, absl::string_view message,
                          absl::Time time);

// A glog sink writing runc-style lines to one fd, each line with one write(2)
// so that readers tailing the file never see half a record.
class RuncLogSink : public google::LogSink {
 public:
  RuncLogSink(UniqueFd fd, LogFormat format, bool debug)
      : fd_(std::move(fd)), format_(format), debug_(debug) {}

  void send(google::LogSeverity severity, const char* full_filename, const char* base_filename,
            int line, const struct ::tm* tm_time, const char* message,
            size_t message_len) override;

 private:
  UniqueFd fd_;
  LogFormat format_;
  bool debug_;
};

// Routes glog to `--log FILE` (stderr when empty) in the given format, and
// keeps glog from writing its own files or stderr lines. Called again, it
// replaces the log it installed before.
absl::Status InstallRuncLog(const std::string& path, LogFormat format, bool debug);

// Reports the error that ends the command, once where its caller looks, as
// runc's fatal() does: a record in the log and, when the log is a file, the
// bare message on stderr too. When the log is stderr, the record would only
// repeat the message there: the bare message alone is printed (a multi-line
// message, such as validate's, keeps its lines).
void ReportFailure(absl::string_view message);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_RUNC_LOG_H_
