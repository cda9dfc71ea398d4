#include "tools/launcher/signal_names.h"

#include <signal.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace hull::launcher {
namespace {

struct NamedSignal {
  const char* name;
  int number;
};

constexpr NamedSignal kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},     {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},     {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},         {"POLL", SIGPOLL},     {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};

}  // namespace

absl::StatusOr<int> ParseSignal(absl::string_view text) {
  int number;
  if (absl::SimpleAtoi(text, &number)) {
    // 0, as with kill(1), only checks that the process is there (runc takes it).
    if (number >= 0 && number <= SIGRTMAX) return number;
    return absl::InvalidArgumentError(absl::StrCat("invalid signal number: ", text));
  }
  std::string name = absl::AsciiStrToUpper(text);
  absl::string_view bare = absl::StripPrefix(name, "SIG");
  for (const NamedSignal& signal : kSignals) {
    if (bare == signal.name) return signal.number;
  }
  // Real-time signals: RTMIN, RTMIN+3, RTMAX-1.
  int offset = 0;
  if (absl::ConsumePrefix(&bare, "RTMIN")) {
    if (bare.empty() || (absl::ConsumePrefix(&bare, "+") && absl::SimpleAtoi(bare, &offset))) {
      if (SIGRTMIN + offset <= SIGRTMAX) return SIGRTMIN + offset;
    }
  } else if (absl::ConsumePrefix(&bare, "RTMAX")) {
    if (bare.empty() || (absl::ConsumePrefix(&bare, "-") && absl::SimpleAtoi(bare, &offset))) {
      if (SIGRTMAX - offset >= SIGRTMIN) return SIGRTMAX - offset;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown signal \"", text, "\""));
}

}  // namespace hull::launcher
