#include "tools/launcher/runc_log.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/wall_clock.h"
#include "config/json_writer.h"

namespace hull::launcher {
namespace {

// Whether the installed log writes to stderr (no --log).
bool log_is_stderr = true;

// logrus's TextFormatter.needsQuoting.
bool NeedsQuoting(absl::string_view text) {
  for (const char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && !absl::StrContains("-._/@^+", c)) {
      return true;
    }
  }
  return false;
}

absl::string_view LevelName(google::LogSeverity severity) {
  switch (severity) {
    case google::GLOG_INFO: return "info";
    case google::GLOG_WARNING: return "warning";
    case google::GLOG_ERROR: return "error";
    default: return "fatal";
  }
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("invalid log-format: \"", name, "\" (want text or json)"));
}

std::string FormatLogLine(LogFormat format, absl::string_view level, absl::string_view message,
                          absl::Time time) {
  std::string when = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
  std::string line;
  if (format == LogFormat::kJson) {
    absl::StrAppend(&line, "{\"level\":\"", level, "\",\"msg\":");
    config::AppendJsonString(message, &line);
    absl::StrAppend(&line, ",\"time\":\"", when, "\"}\n");
  } else {
    absl::StrAppend(&line, "time=\"", when, "\" level=", level, " msg=");
    if (NeedsQuoting(message)) {
      config::AppendJsonString(message, &line);
    } else {
      absl::StrAppend(&line, message);
    }
    line.push_back('\n');
  }
  return line;
}

void RuncLogSink::send(google::LogSeverity severity, const char*, const char*, int,
                       const struct ::tm*, const char* message, size_t message_len) {
  if (severity == google::GLOG_INFO && !debug_) return;
  absl::string_view level = LevelName(severity);
  if (severity == google::GLOG_INFO) level = "debug";
  std::string line =
      FormatLogLine(format_, level, absl::string_view(message, message_len), WallClockNow());
  // Best effort: a log that cannot be written must not fail the command.
  (void)!::write(fd_.get(), line.data(), line.size());
}

absl::Status InstallRuncLog(const std::string& path, LogFormat format, bool debug) {
  UniqueFd fd;
  if (path.empty()) {
    fd.Reset(::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3));
  } else {
    fd.Reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  }
  if (!fd.valid()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "open log file ", path.empty() ? "/dev/stderr" : path, ": ", strerror(errno)));
  }
  // glog writes to files under /tmp and to stderr unless told otherwise,
  // and everything to stderr until it is initialized.
  if (!google::IsGoogleLoggingInitialized()) google::InitGoogleLogging("hull");
  FLAGS_logtostderr = false;
  FLAGS_alsologtostderr = false;
  FLAGS_stderrthreshold = google::NUM_SEVERITIES;
  FLAGS_v = debug ? 1 : 0;
  for (int severity = 0; severity < google::NUM_SEVERITIES; ++severity) {
    google::SetLogDestination(severity, "");
  }
  // The sink lives as long as the process: glog keeps a pointer to it.
  static RuncLogSink* sink = nullptr;
  if (sink != nullptr) {
    google::RemoveLogSink(sink);
    delete sink;
  }
  sink = new RuncLogSink(std::move(fd), format, debug);
  google::AddLogSink(sink);
  log_is_stderr = path.empty();
  return absl::OkStatus();
}

void ReportFailure(absl::string_view message) {
  if (!log_is_stderr) LOG(ERROR) << message;
  const std::string line = absl::StrCat(message, "\n");
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace hull::launcher
